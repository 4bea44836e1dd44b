package io.dbguard.cli;

import io.dbguard.core.report.ExitCode;

/**
 * Why a {@code dbguard kubectl} command stopped: its message is printed as {@code dbguard: MESSAGE}
 * on stderr and {@link #exitCode()} is the process's exit code (4 usage and not found, 5 the API
 * server refused or could not be reached, 2 refused by the plugin before changing anything).
 */
final class KubectlException extends RuntimeException {
  private final ExitCode exitCode;
  private final boolean notFoundOnServer;

  KubectlException(ExitCode exitCode, String message) {
    this(exitCode, message, false);
  }

  KubectlException(ExitCode exitCode, String message, boolean notFoundOnServer) {
    super(message);
    this.exitCode = exitCode;
    this.notFoundOnServer = notFoundOnServer;
  }

  /** The exit code the command ends with. */
  ExitCode exitCode() {
    return exitCode;
  }

  /** Whether the API server answered 404 (the object, or its resource type, does not exist). */
  boolean notFoundOnServer() {
    return notFoundOnServer;
  }
}
