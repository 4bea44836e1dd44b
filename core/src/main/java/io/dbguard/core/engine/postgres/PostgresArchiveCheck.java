package io.dbguard.core.engine.postgres;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks a PostgreSQL backup file against its manifest: size, SHA-256 and a full read by {@code
 * pg_restore}. Part of {@link PostgresEngine}; see {@link PostgresEngine#verify}.
 */
final class PostgresArchiveCheck {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  PostgresArchiveCheck(PgContext ctx) {
    this.ctx = ctx;
    this.target = ctx.target();
    this.options = ctx.options();
    this.tools = ctx.tools();
  }

  private Connection open(DatabaseTarget t, String app) {
    return ctx.open(t, app);
  }

  private Connection openMaintenance(String app) {
    return ctx.openMaintenance(app);
  }

  // ---------------------------------------------------------------- verify

  /**
   * Checks size and SHA-256 against the manifest and reads the whole archive with {@code pg_restore
   * -f /dev/null}, all in one read of the file (the bytes are hashed while they are piped to
   * pg_restore). Progress phase {@code verify}.
   *
   * @throws DbguardException {@code BackupCorrupt} (missing, size or hash mismatch, unreadable
   *     archive), {@code ToolMissing}
   */
  void verify(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    Path pgRestore = tools.locate("pg_restore");
    verifyFile(
        backupFile,
        manifest.sizeBytes(),
        manifest.sha256(),
        pgRestore,
        progress == null ? ProgressListener.NONE : progress);
  }

  void verifyFile(Path file, long size, String sha256, Path pgRestore, ProgressListener progress) {
    long actual;
    try {
      actual = Files.size(file);
    } catch (IOException e) {
      throw new DbguardException("BackupCorrupt", "backup file " + file + " does not exist", e);
    }
    if (actual != size) {
      throw new DbguardException(
          "BackupCorrupt",
          "backup file " + file + " has " + actual + " bytes, the manifest records " + size);
    }
    try (ToolProcess reader =
        ToolProcess.start(
            "pg_restore-verify",
            List.of(pgRestore.toString(), "--file=/dev/null"),
            null,
            options.connectTimeoutSeconds(),
            true)) {
      ArchiveStreams.Pass pass = ArchiveStreams.readFile(file, reader.stdin(), progress, "verify");
      int rc = reader.waitFor();
      if (!pass.sha256().equalsIgnoreCase(sha256)) {
        throw new DbguardException(
            "BackupCorrupt",
            "backup file "
                + file
                + " has SHA-256 "
                + pass.sha256()
                + ", the manifest records "
                + sha256);
      }
      if (rc != 0 || pass.sinkFailed()) {
        throw new DbguardException(
            "BackupCorrupt",
            "backup file "
                + file
                + " cannot be read in full by pg_restore (exit "
                + rc
                + "): "
                + reader.stderr());
      }
    }
  }

  /**
   * Refuses a file that is missing or whose size differs from the manifest's, without reading it.
   *
   * @throws DbguardException {@code BackupCorrupt}
   */
  void requireSize(Path file, BackupManifest manifest) {
    long actual;
    try {
      actual = Files.size(file);
    } catch (IOException e) {
      throw new DbguardException("BackupCorrupt", "backup file " + file + " does not exist", e);
    }
    if (actual != manifest.sizeBytes()) {
      throw new DbguardException(
          "BackupCorrupt",
          "refusing to restore "
              + file
              + ": it has "
              + actual
              + " bytes, the manifest records "
              + manifest.sizeBytes());
    }
  }

  void requireHash(Path file, BackupManifest manifest, ProgressListener progress) {
    ArchiveStreams.Pass pass = ArchiveStreams.readFile(file, null, progress, "hash");
    io.dbguard.core.engine.DbguardException problem =
        PgBackgroundHash.mismatch(file, manifest, pass.bytes(), pass.sha256());
    if (problem != null) {
      throw problem;
    }
  }
}
