package io.dbguard.core.migrate;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * The built-in SQL directory runner: applies {@code V<version>__<description>.sql} files from a
 * directory with the Flyway library (PostgreSQL and SQLite), recording them in {@code
 * flyway_schema_history}. Naming and baseline semantics are Flyway's
 * (https://documentation.red-gate.com/fd/migrations-271585107.html, "baseline"). {@code clean} is
 * always disabled.
 *
 * <p>A database that already holds tables but no history table, or a migration failing because an
 * object it creates already exists (by SQLSTATE, see {@link SchemaConflicts}), is reason {@code
 * SchemaConflict}; the message names the exact {@code dbguard migrate … --baseline-version V}
 * command. A data error (e.g. SQLSTATE 23505, a duplicate key) is {@code MigrationFailed} and its
 * message says not to baseline.
 */
public final class FlywayRunner implements MigrationRunner {
  private final java.util.List<Path> directories;
  private final String baselineVersion;

  /**
   * @param directory directory holding {@code V…__….sql} files
   * @param baselineVersion when non-null, a database without history is baselined at this version
   *     first (migrations up to and including it are recorded as applied without running)
   * @throws DbguardException reason {@code InvalidMigrations} when the directory does not exist
   */
  public FlywayRunner(Path directory, String baselineVersion) {
    this(java.util.List.of(directory), baselineVersion);
  }

  /**
   * Several directories, scanned together (e.g. the releases of an application).
   *
   * @throws DbguardException reason {@code InvalidMigrations} when one does not exist or none given
   */
  public FlywayRunner(java.util.List<Path> directories, String baselineVersion) {
    if (directories == null || directories.isEmpty()) {
      throw new DbguardException("InvalidMigrations", "no migration directory given");
    }
    for (Path d : directories) {
      if (d == null || !Files.isDirectory(d)) {
        throw new DbguardException(
            "InvalidMigrations", "migration directory " + d + " does not exist");
      }
    }
    this.directories = directories.stream().map(d -> d.toAbsolutePath().normalize()).toList();
    this.baselineVersion = baselineVersion;
  }

  @Override
  public String describe() {
    return "Flyway migrations in "
        + String.join(", ", directories.stream().map(Path::toString).toList());
  }

  /** The migration directories, absolute. */
  public java.util.List<Path> directories() {
    return directories;
  }

  /**
   * The migration files that are not yet applied, in Flyway's order, read from the history table
   * without changing anything ({@code flyway info}). A SQLite file that does not exist yet has
   * every file pending (it is not created here). This is the batch the analyze step must lint:
   * tables created by already-applied migrations are not "created earlier in the same batch".
   *
   * @throws DbguardException reason {@code MigrationFailed} when the history cannot be read
   */
  public java.util.List<Path> pendingFiles(DatabaseTarget target) {
    return pendingFiles(target, target.jdbcUrl());
  }

  /**
   * As {@link #pendingFiles(DatabaseTarget)}, reading the history through {@code jdbcUrl} (e.g. a
   * read-only session's URL) with the target's credentials.
   */
  public java.util.List<Path> pendingFiles(DatabaseTarget target, String jdbcUrl) {
    java.util.List<Path> all = new java.util.ArrayList<>();
    if (target.sqliteFile() != null && !Files.exists(target.sqliteFile())) {
      for (Path d : directories) {
        try (java.util.stream.Stream<Path> s = Files.walk(d)) {
          s.filter(Files::isRegularFile).sorted().forEach(all::add);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return all;
    }
    try {
      for (MigrationInfo mi : configure(target, jdbcUrl).load().info().pending()) {
        for (Path d : directories) {
          Path f = d.resolve(mi.getScript());
          if (Files.isRegularFile(f)) {
            all.add(f);
            break;
          }
        }
      }
      return all;
    } catch (FlywayException e) {
      throw new DbguardException(
          "MigrationFailed",
          "cannot read the migration history: "
              + compact(DatabaseTarget.redact(String.valueOf(e.getMessage()))),
          e);
    }
  }

  private FluentConfiguration configure(DatabaseTarget target, String jdbcUrl) {
    return Flyway.configure(FlywayRunner.class.getClassLoader())
        .dataSource(jdbcUrl, target.user(), target.password())
        .locations(directories.stream().map(d -> "filesystem:" + d).toArray(String[]::new))
        .cleanDisabled(true)
        .validateMigrationNaming(true);
  }

  @Override
  public String run(DatabaseTarget target, Consumer<String> output) {
    Progress progress = new Progress(output);
    FluentConfiguration cfg = configure(target, target.jdbcUrl()).callbacks(progress);
    if (baselineVersion != null) {
      cfg = cfg.baselineOnMigrate(true).baselineVersion(baselineVersion);
    }
    Flyway flyway = cfg.load();
    try {
      MigrateResult r = flyway.migrate();
      return r.migrationsExecuted
          + " migration(s) applied, schema version "
          + (r.targetSchemaVersion == null ? r.initialSchemaVersion : r.targetSchemaVersion);
    } catch (FlywayException e) {
      String msg = DatabaseTarget.redact(String.valueOf(e.getMessage()));
      SchemaConflicts.Kind kind = SchemaConflicts.classify(e, msg);
      if (kind == SchemaConflicts.Kind.DATA_ERROR) {
        throw new DbguardException(
            "MigrationFailed",
            "Flyway migration failed: "
                + compact(msg)
                + " — "
                + SchemaConflicts.dataErrorAdvice(SchemaConflicts.errorCode(e)),
            e);
      }
      if (kind == SchemaConflicts.Kind.SCHEMA_CONFLICT) {
        String v = progress.lastVersion;
        if (v == null) {
          MigrationInfo[] pending = flyway.info().pending();
          v =
              pending.length == 0 || pending[pending.length - 1].getVersion() == null
                  ? "<version>"
                  : pending[pending.length - 1].getVersion().getVersion();
        }
        throw new DbguardException(
            "SchemaConflict",
            "the database already contains objects these migrations create ("
                + compact(msg)
                + "). If it already has everything up to V"
                + v
                + ", record that as applied with: dbguard migrate "
                + String.join(" ", directories.stream().map(d -> "--sql-dir " + d).toList())
                + " --baseline-version "
                + v,
            e);
      }
      throw new DbguardException("MigrationFailed", "Flyway migration failed: " + compact(msg), e);
    } catch (RuntimeException e) {
      throw new DbguardException(
          "MigrationFailed",
          "Flyway migration failed: " + DatabaseTarget.redact(String.valueOf(e.getMessage())),
          e);
    }
  }

  /**
   * Flyway's error text is a multi-line block ({@code Message : … Location : … Line : …}); keep the
   * first line, the message, the script location and line.
   */
  static String compact(String msg) {
    StringBuilder sb = new StringBuilder(firstLine(msg));
    for (String line : msg.split("\\R")) {
      String t = line.strip();
      for (String key : new String[] {"Message", "Line"}) {
        if (t.startsWith(key + " ") && t.contains(":")) {
          sb.append("; ")
              .append(key.toLowerCase(java.util.Locale.ROOT))
              .append(' ')
              .append(t.substring(t.indexOf(':') + 1).strip());
        }
      }
    }
    return sb.toString();
  }

  private static String firstLine(String s) {
    String t = s.strip();
    int nl = t.indexOf('\n');
    return nl < 0 ? t : t.substring(0, nl);
  }

  /** Streams "applying V2 add phone" lines. */
  private static final class Progress implements Callback {
    private final Consumer<String> output;
    volatile String lastVersion;

    Progress(Consumer<String> output) {
      this.output = output;
    }

    @Override
    public boolean supports(Event event, Context context) {
      return event == Event.BEFORE_EACH_MIGRATE || event == Event.AFTER_EACH_MIGRATE_ERROR;
    }

    @Override
    public boolean canHandleInTransaction(Event event, Context context) {
      return true;
    }

    @Override
    public void handle(Event event, Context context) {
      MigrationInfo mi = context.getMigrationInfo();
      if (mi == null) {
        return;
      }
      String v = mi.getVersion() == null ? "R" : "V" + mi.getVersion().getVersion();
      if (mi.getVersion() != null) {
        lastVersion = mi.getVersion().getVersion();
      }
      if (event == Event.BEFORE_EACH_MIGRATE) {
        output.accept("applying " + v + " " + mi.getDescription() + " (" + mi.getScript() + ")");
      } else {
        output.accept("FAILED " + v + " " + mi.getDescription());
      }
    }

    @Override
    public String getCallbackName() {
      return "dbguard-progress";
    }
  }
}
