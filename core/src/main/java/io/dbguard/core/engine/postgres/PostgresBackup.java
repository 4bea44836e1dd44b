package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.scalar;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupNaming;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.SecureFiles;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.postgres.PostgresOptions.VerifyMode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a PostgreSQL backup: {@code pg_dump} custom format inside a snapshot dbguard exported and
 * profiled, written to a hidden partial file, verified, renamed, then described by its manifest.
 * Part of {@link PostgresEngine}; see {@link PostgresEngine#backup}.
 */
final class PostgresBackup {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  private final PostgresArchiveCheck archiveCheck;

  /** Runs after the snapshot is exported and before pg_dump starts (a test seam). */
  private final Runnable afterSnapshotExport;

  PostgresBackup(PgContext ctx, PostgresArchiveCheck archiveCheck, Runnable afterSnapshotExport) {
    this.ctx = ctx;
    this.archiveCheck = archiveCheck;
    this.afterSnapshotExport = afterSnapshotExport;
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

  // ---------------------------------------------------------------- backup

  /**
   * Takes the backup described in {@link DatabaseEngine#backup}: {@code pg_dump -Fc -Z<level>
   * --snapshot=<exported> --lock-wait-timeout=<ms>} while dbguard's own {@code REPEATABLE READ}
   * transaction (which exported the snapshot and holds {@code ACCESS SHARE} on every user table)
   * profiles the same snapshot; pg_dump's stdout is hashed, written to {@code
   * .<file>.<owner>.partial} ({@link io.dbguard.core.backup.BackupLeftovers}) (mode 0600) and, in
   * {@link VerifyMode#STREAMING}, fed to {@code pg_restore -f /dev/null} at the same time. The file
   * is fsync'd, renamed, its directory fsync'd, then the manifest is written. Progress phase {@code
   * dump}, in bytes of the archive.
   *
   * @return the written manifest, {@code verifiedAt} set
   * @throws DbguardException {@code ToolMissing}, {@code PgDumpTooOld}, {@code ConnectionFailed},
   *     {@code AuthenticationFailed}, {@code DatabaseMissing}, {@code LockTimeout}, {@code
   *     BackupDirectoryUnusable}, {@code InsufficientSpace} (before the snapshot, {@link
   *     PgDiskSpace}), {@code BackupStorageFull}, {@code BackupWriteFailed}, {@code BackupFailed},
   *     {@code BackupCorrupt}; the partial file is removed in every case
   */
  BackupManifest backup(BackupRequest request, ProgressListener progress) {
    ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
    Instant startedAt = request.startedAt() == null ? Instant.now() : request.startedAt();
    String dbLabel =
        request.databaseName() == null || request.databaseName().isBlank()
            ? target.database()
            : request.databaseName();
    String environment =
        request.environment() == null || request.environment().isBlank()
            ? "production"
            : request.environment();
    Path dir = request.directory();
    io.dbguard.core.backup.BackupDirectory.requireWritable(dir, "BackupDirectoryUnusable");
    // two backups in the same second: never overwrite, add -2, -3, ...
    String name =
        BackupNaming.freeName(dir, dbLabel, environment, startedAt, EngineKind.POSTGRESQL);
    String fileName = BackupNaming.fileName(name, EngineKind.POSTGRESQL);
    Path finalFile = dir.resolve(fileName);
    if (Files.exists(finalFile)) {
      throw new DbguardException(
          "BackupDirectoryUnusable", "backup file " + finalFile + " already exists");
    }
    Path partial =
        io.dbguard.core.backup.BackupLeftovers.inProgress(dir, fileName, target, "partial");
    int lockWaitSeconds =
        request.lockWaitTimeoutSeconds() > 0
            ? request.lockWaitTimeoutSeconds()
            : options.lockWaitTimeoutSeconds();

    Path pgDump = tools.locate("pg_dump");
    Path pgRestore = tools.locate("pg_restore");
    String dumpVersion = tools.version(pgDump);
    String restoreVersion = tools.version(pgRestore);

    ExecutorService profiler =
        Executors.newSingleThreadExecutor(PgContext.daemon("dbguard-profile"));
    ToolProcess dump = null;
    ToolProcess reader = null;
    try (Connection c = open(target, "dbguard-backup")) {
      String serverVersion = scalar(c, "SHOW server_version");
      int serverNum = Integer.parseInt(scalar(c, "SHOW server_version_num"));
      requireToolNotOlder("pg_dump", pgDump, dumpVersion, serverNum, serverVersion);
      requireToolNotOlder("pg_restore", pgRestore, restoreVersion, serverNum, serverVersion);
      PgDiskSpace.requireRoomForDump(c, target, dir);

      PgProfiler.prepareSession(c, false);
      List<String[]> tables = PgProfiler.userTables(c);
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      c.setReadOnly(true);
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL lock_timeout = '" + lockWaitSeconds + "s'");
        // The profile runs beside pg_dump, whose single process is the critical path: parallel
        // scan workers would only take CPU from it.
        st.execute("SET LOCAL max_parallel_workers_per_gather = 0");
        if (!tables.isEmpty()) {
          // LOCK takes no snapshot, so the tables are protected from DDL before the snapshot
          // below is taken ("LOCK" manual page; lock_timeout turns a wait into LockTimeout).
          StringBuilder lock = new StringBuilder("LOCK TABLE ");
          for (int i = 0; i < tables.size(); i++) {
            if (i > 0) {
              lock.append(", ");
            }
            lock.append("ONLY ")
                .append(PgProfiler.quoteIdent(tables.get(i)[0]))
                .append('.')
                .append(PgProfiler.quoteIdent(tables.get(i)[1]));
          }
          lock.append(" IN ACCESS SHARE MODE");
          try {
            st.execute(lock.toString());
          } catch (SQLException e) {
            if ("55P03".equals(e.getSQLState())) {
              throw new DbguardException(
                  "LockTimeout",
                  "backup of "
                      + target.redacted()
                      + " waited "
                      + lockWaitSeconds
                      + " s for table locks held by another session (a running migration or"
                      + " DDL?); nothing was changed",
                  e);
            }
            throw e;
          }
        }
      }
      String snapshot = scalar(c, "SELECT pg_export_snapshot()");
      // the snapshot just exported, the one pg_dump dumps: later restores count the writes after it
      io.dbguard.core.engine.WriteHorizon horizon = PgWriteHorizon.capture(c, serverNum);
      LOG.info("backup {}: snapshot {} exported, dumping to {}", target.redacted(), snapshot, dir);
      afterSnapshotExport.run();

      Files.deleteIfExists(partial);
      try {
        SecureFiles.createPrivateFile(partial);
      } catch (IOException e) {
        throw new DbguardException(
            "BackupDirectoryUnusable", "cannot create " + partial + ": " + e.getMessage(), e);
      }
      List<String> dumpCmd =
          List.of(
              pgDump.toString(),
              "--format=custom",
              "--compress=" + options.compressionLevel(),
              "--snapshot=" + snapshot,
              "--lock-wait-timeout=" + (lockWaitSeconds * 1000L),
              "--no-password");
      dump = ToolProcess.start("pg_dump", dumpCmd, target, options.connectTimeoutSeconds(), false);
      dump.stdin().close();
      if (options.verifyMode() == VerifyMode.STREAMING) {
        reader =
            ToolProcess.start(
                "pg_restore-verify",
                List.of(pgRestore.toString(), "--file=/dev/null"),
                null,
                options.connectTimeoutSeconds(),
                true);
      }
      Future<DataProfile> profileFuture =
          profiler.submit(() -> PgProfiler.profile(c, request.contentChecksums()));

      ArchiveStreams.Pass pass;
      try (FileChannel ch = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        try {
          pass =
              ArchiveStreams.copy(
                  dump.stdout(), ch, reader == null ? null : reader.stdin(), pl, "dump", -1);
        } catch (IOException e) {
          dump.close();
          throw writeFailure(partial, e);
        }
        int rc = dump.waitFor();
        if (rc != 0) {
          throw dumpFailure(rc, dump.stderr(), lockWaitSeconds);
        }
        try {
          ch.force(true);
        } catch (IOException e) {
          throw writeFailure(partial, e);
        }
      }
      if (reader != null) {
        int rrc = reader.waitFor();
        if (rrc != 0 || pass.sinkFailed()) {
          throw new DbguardException(
              "BackupCorrupt",
              "the archive pg_dump wrote could not be read back in full by pg_restore (exit "
                  + rrc
                  + "): "
                  + reader.stderr());
        }
      }
      DataProfile profile;
      try {
        profile = profileFuture.get();
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof SQLException se) {
          throw PgConnections.classify(se, target, "cannot profile " + target.redacted());
        }
        throw new DbguardException(
            "BackupFailed", "profiling failed: " + cause, cause == null ? e : cause);
      }
      c.rollback();
      if (pass.bytes() == 0) {
        throw new DbguardException("BackupFailed", "pg_dump produced an empty archive");
      }
      try {
        try {
          Files.move(partial, finalFile, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(partial, finalFile);
        }
        fsyncDirectory(dir);
      } catch (IOException e) {
        throw writeFailure(finalFile, e);
      }
      Instant completedAt = Instant.now();
      if (options.verifyMode() == VerifyMode.REREAD) {
        archiveCheck.verifyFile(finalFile, pass.bytes(), pass.sha256(), pgRestore, pl);
      }
      Map<String, String> toolVersions = new LinkedHashMap<>();
      toolVersions.put("pg_dump", dumpVersion);
      toolVersions.put("pg_restore", restoreVersion);
      BackupManifest manifest =
          new BackupManifest(
              BackupManifest.FORMAT_VERSION,
              name,
              fileName,
              EngineKind.POSTGRESQL.displayName(),
              serverVersion,
              toolVersions,
              PgIdentity.of(target, c),
              environment,
              startedAt,
              completedAt,
              Instant.now(),
              pass.bytes(),
              pass.sha256(),
              options.compressionLabel(),
              profile,
              request.attempt(),
              false,
              horizon);
      try {
        ManifestStore.write(dir, manifest);
      } catch (java.io.UncheckedIOException e) {
        ArchiveStreams.closeQuietly(() -> Files.deleteIfExists(finalFile));
        throw new DbguardException("BackupWriteFailed", e.getMessage(), e);
      }
      LOG.info(
          "backup {}: {} ({} bytes, sha256 {}) verified",
          target.redacted(),
          finalFile,
          pass.bytes(),
          pass.sha256());
      return manifest;
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "backup of " + target.redacted() + " failed");
    } catch (IOException e) {
      throw writeFailure(partial, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DbguardException("Interrupted", "backup interrupted");
    } finally {
      ArchiveStreams.closeQuietly(dump);
      ArchiveStreams.closeQuietly(reader);
      profiler.shutdownNow();
      ArchiveStreams.closeQuietly(() -> Files.deleteIfExists(partial));
    }
  }

  private void requireToolNotOlder(
      String tool, Path exe, String toolVersion, int serverNum, String serverVersion) {
    if (PgTools.major(toolVersion) < PgTools.majorFromServerVersionNum(serverNum)) {
      throw new DbguardException(
          "PgDumpTooOld",
          tool
              + " "
              + toolVersion
              + " ("
              + exe
              + ") is older than the server ("
              + serverVersion
              + "); "
              + tool
              + " cannot dump or read a newer server's catalogs. Install the PostgreSQL client of"
              + " major version "
              + (serverNum >= 100000 ? serverNum / 10000 : serverNum / 100)
              + " or newer, or set the tool directory");
    }
  }

  private DbguardException dumpFailure(int rc, String stderr, int lockWaitSeconds) {
    String lower = stderr.toLowerCase(java.util.Locale.ROOT);
    if (lower.contains("lock timeout")
        || (lower.contains("statement timeout") && lower.contains("lock table"))
        || lower.contains("could not obtain lock")) {
      return new DbguardException(
          "LockTimeout",
          "pg_dump waited "
              + lockWaitSeconds
              + " s for a table lock held by another session and gave up (exit "
              + rc
              + "): "
              + stderr);
    }
    if (lower.contains("password authentication failed") || lower.contains("no password")) {
      return new DbguardException(
          "AuthenticationFailed", "pg_dump could not log in (exit " + rc + "): " + stderr);
    }
    if (lower.contains("could not connect") || lower.contains("connection to server")) {
      return new DbguardException(
          "ConnectionFailed", "pg_dump could not connect (exit " + rc + "): " + stderr);
    }
    if (lower.contains("permission denied")) {
      return new DbguardException(
          "PermissionDenied", "pg_dump lacks privileges (exit " + rc + "): " + stderr);
    }
    return new DbguardException("BackupFailed", "pg_dump failed (exit " + rc + "): " + stderr);
  }

  private static DbguardException writeFailure(Path file, IOException e) {
    String m = String.valueOf(e.getMessage());
    if (m.contains("No space left") || m.contains("Disk quota")) {
      return new DbguardException(
          "BackupStorageFull", "no space left writing " + file + ": " + m, e);
    }
    return new DbguardException("BackupWriteFailed", "cannot write " + file + ": " + m, e);
  }

  private static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException ignored) {
      // some file systems cannot fsync a directory; the file itself is synced
    }
  }
}
