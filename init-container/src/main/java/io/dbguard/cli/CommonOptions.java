package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every step command takes. */
final class CommonOptions {
  /** Output formats. */
  enum Output {
    text,
    json
  }

  @Option(
      names = "--database-url",
      paramLabel = "URL",
      description =
          "Database URL (postgresql://user:pass@host:5432/db or sqlite:/path/app.db). Default: the"
              + " DATABASE_URL environment variable, which is preferred: arguments are visible to"
              + " other users in the process list. Never printed unredacted.")
  String databaseUrl;

  @Option(
      names = "--output",
      paramLabel = "text|json",
      description = "Output format: text (default) or json (the step result document on stdout).")
  Output output = Output.text;

  @Option(
      names = "--termination-log",
      paramLabel = "PATH",
      description =
          "Also write the step result JSON (at most 4096 bytes) to PATH, e.g."
              + " /dev/termination-log in a Kubernetes Job.")
  Path terminationLog;

  /**
   * The target from {@code --database-url} or {@code DATABASE_URL}.
   *
   * @throws DbguardException reason {@code InvalidDatabaseUrl} when neither is set or it is bad
   */
  DatabaseTarget target() {
    String url = databaseUrl != null ? databaseUrl : System.getenv("DATABASE_URL");
    if (url == null || url.isBlank()) {
      throw new DbguardException(
          "InvalidDatabaseUrl", "no database given: set DATABASE_URL or pass --database-url");
    }
    return DatabaseTarget.parse(url);
  }

  boolean hasDatabase() {
    String url = databaseUrl != null ? databaseUrl : System.getenv("DATABASE_URL");
    return url != null && !url.isBlank();
  }
}
