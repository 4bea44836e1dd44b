package io.dbguard.cli;

import io.dbguard.core.DbguardVersion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The top {@code dbguard} command. Subcommands are one flat list; new steps (lint, seeds, gate) are
 * added to it.
 */
@Command(
    name = "dbguard",
    mixinStandardHelpOptions = true,
    // every command gets -h/--help (and -V/--version): `dbguard backup --help` shows its options
    scope = picocli.CommandLine.ScopeType.INHERIT,
    versionProvider = DbguardCommand.Version.class,
    description = "Safe database migrations: verified backup, migrate, data-loss check, restore.",
    subcommands = {
      BackupCommand.class,
      VerifyCommand.class,
      RestoreCommand.class,
      BackupsCommand.class,
      MigrateCommand.class,
      VerifyDataCommand.class,
      RunCommand.class,
      FenceCommand.class,
      PlanCommand.class,
      GateCommand.class,
      LintCommand.class,
      SeedsCommand.class,
      KubectlCommand.class,
    })
public final class DbguardCommand implements Runnable {
  @Spec CommandSpec spec;

  /** {@code --log-format}, on this command and (inherited) on every subcommand. */
  @Option(
      names = "--log-format",
      paramLabel = "text|json",
      scope = picocli.CommandLine.ScopeType.INHERIT,
      description = LogFormat.DESCRIPTION)
  void logFormat(String value) {
    if (value != null) {
      try {
        LogFormat.of(value).apply();
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  /** The build's version ({@link DbguardVersion}), e.g. {@code dbguard 0.1.0}. */
  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"dbguard " + DbguardVersion.current()};
    }
  }
}
