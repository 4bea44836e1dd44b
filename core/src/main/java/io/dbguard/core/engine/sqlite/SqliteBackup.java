package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.PAGES_PER_STEP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.deleteQuietly;
import static io.dbguard.core.engine.sqlite.SqliteFiles.describe;
import static io.dbguard.core.engine.sqlite.SqliteFiles.driverVersion;
import static io.dbguard.core.engine.sqlite.SqliteFiles.move;
import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteFiles.openImmutable;
import static io.dbguard.core.engine.sqlite.SqliteFiles.pragmaInt;
import static io.dbguard.core.engine.sqlite.SqliteFiles.resultCode;
import static io.dbguard.core.engine.sqlite.SqliteFiles.sqliteVersion;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.checkIntegrity;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.profile;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupNaming;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.SecureFiles;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import org.sqlite.SQLiteConnection;

/**
 * Takes a SQLite backup with the online backup API into a hidden temp file, makes it one
 * self-contained file, checks, profiles and hashes it, renames it and writes its manifest. Part of
 * {@link SqliteEngine}; see {@link SqliteEngine#backup}.
 */
final class SqliteBackup {
  private final SqliteEngine engine;
  private final Path file;

  SqliteBackup(SqliteEngine engine) {
    this.engine = engine;
    this.file = engine.file();
  }

  // ---------------------------------------------------------------- backup

  BackupManifest backup(BackupRequest request, ProgressListener progress) {
    if (!engine.exists()) {
      throw new DbguardException("BackupFailed", "SQLite database " + file + " does not exist");
    }
    Path dir = request.directory();
    checkBackupDirectory(dir);
    Instant started = request.startedAt() == null ? Instant.now() : request.startedAt();
    // two backups in the same second: never overwrite, add -2, -3, ...
    String name =
        BackupNaming.freeName(
            dir, request.databaseName(), request.environment(), started, EngineKind.SQLITE);
    String fileName = BackupNaming.fileName(name, EngineKind.SQLITE);
    Path target = dir.resolve(fileName);
    Path tmp =
        io.dbguard.core.backup.BackupLeftovers.inProgress(
            dir, fileName, io.dbguard.core.engine.DatabaseTarget.sqlite(file), "tmp");
    try {
      SqliteDiskSpace.requireRoomForBackup(file, dir);
      Files.deleteIfExists(tmp);
      SecureFiles.createPrivateFile(tmp);
      String serverVersion;
      Map<String, String> identity;
      try (Connection c = open(file, false)) {
        identity = SqliteIdentity.of(file, c);
        serverVersion = sqliteVersion(c);
        int pageSize = pragmaInt(c, "page_size");
        int rc =
            ((SQLiteConnection) c)
                .getDatabase()
                .backup(
                    "main",
                    tmp.toString(),
                    (remaining, pageCount) ->
                        progress.progress(
                            "backup",
                            (long) (pageCount - remaining) * pageSize,
                            (long) pageCount * pageSize),
                    100,
                    50,
                    PAGES_PER_STEP);
        if (rc != 0) {
          throw new SQLException(resultCode("backup", rc));
        }
      }
      // make the copy one self-contained file; after this its bytes never change
      try (Connection c = open(tmp, false);
          Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=DELETE");
      }
      Files.deleteIfExists(Path.of(tmp + "-journal"));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      SecureFiles.restrict(tmp);
      long size = Files.size(tmp);
      // integrity_check (the longest read) on this thread; the SHA-256 and the profile on others.
      // All three only read the immutable copy. With two CPUs the hash and the profile share one
      // thread, one after the other, so the integrity check keeps a CPU to itself (three threads
      // on two CPUs made it 15-20% slower on the 1.05 GB benchmark file).
      java.util.concurrent.ExecutorService side =
          java.util.concurrent.Executors.newFixedThreadPool(
              Runtime.getRuntime().availableProcessors() > 2 ? 2 : 1,
              r -> {
                Thread t = new Thread(r, "dbguard-sqlite-verify");
                t.setDaemon(true);
                return t;
              });
      String sha;
      DataProfile profile;
      // the copy's rowids and table definitions: later restores count the writes after it
      io.dbguard.core.engine.WriteHorizon[] horizon = new io.dbguard.core.engine.WriteHorizon[1];
      try {
        java.util.concurrent.Future<String> hash =
            side.submit(() -> Sha256.ofFile(tmp, "hash", progress));
        java.util.concurrent.Future<DataProfile> profiled =
            side.submit(
                () -> {
                  try (Connection c = openImmutable(tmp)) {
                    DataProfile p = profile(c, request.contentChecksums());
                    horizon[0] = SqliteWriteHorizon.capture(c);
                    return p;
                  }
                });
        try (Connection c = openImmutable(tmp)) {
          checkIntegrity(c, tmp);
        }
        profile = result(profiled);
        sha = result(hash);
      } finally {
        // wait for the readers before the caller may delete the copy (they only read it)
        side.shutdown();
        try {
          side.awaitTermination(1, java.util.concurrent.TimeUnit.HOURS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Instant completed = Instant.now();
      move(tmp, target);
      BackupManifest m =
          new BackupManifest(
              BackupManifest.FORMAT_VERSION,
              name,
              fileName,
              EngineKind.SQLITE.displayName(),
              serverVersion,
              Map.of("sqlite-jdbc", driverVersion()),
              identity,
              request.environment(),
              started,
              completed,
              Instant.now(),
              size,
              sha,
              "none",
              profile,
              request.attempt(),
              false,
              horizon[0]);
      ManifestStore.write(dir, m);
      return m;
    } catch (SQLException e) {
      deleteQuietly(tmp);
      throw new DbguardException(
          "BackupFailed",
          "SQLite backup of " + file + " into " + dir + " failed: " + e.getMessage() + ".",
          e);
    } catch (IOException | java.io.UncheckedIOException e) {
      deleteQuietly(tmp);
      deleteQuietly(target);
      throw new DbguardException(
          "BackupFailed",
          "cannot write backup into " + dir + ": " + describe(e) + " (nothing was changed)",
          e);
    } catch (DbguardException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /** The value of a side task, rethrowing its SQL or I/O failure as itself. */
  private static <T> T result(java.util.concurrent.Future<T> f) throws SQLException, IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while verifying the backup", e);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof SQLException q) {
        throw q;
      }
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  static void checkBackupDirectory(Path dir) {
    io.dbguard.core.backup.BackupDirectory.requireWritable(dir);
  }
}
