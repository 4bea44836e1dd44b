package io.dbguard.cli;

import picocli.CommandLine;

/** Entry point of the {@code dbguard} CLI. */
public final class Main {
  private Main() {}

  /** Runs {@link DbguardCommand} and exits with its exit code. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new DbguardCommand()).execute(args));
  }
}
