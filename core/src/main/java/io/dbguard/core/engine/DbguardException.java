package io.dbguard.core.engine;

/**
 * A failure with a stable, PascalCase {@link #reason()} (shown in conditions, Events, JSON output)
 * and a message written for the person running dbguard. Messages never contain passwords: build
 * them from {@code DatabaseTarget#redacted()} and never from a raw URL.
 */
public class DbguardException extends RuntimeException {
  private final String reason;

  public DbguardException(String reason, String message) {
    super(message);
    this.reason = reason;
  }

  public DbguardException(String reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  /** Stable machine-readable reason, e.g. {@code BackupCorrupt}, {@code ConnectionFailed}. */
  public String reason() {
    return reason;
  }
}
