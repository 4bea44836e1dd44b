package io.dbguard.core.engine.sqlite;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.BackupNaming;
import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.SecureFiles;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.TableProfile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteJDBCLoader;

/**
 * SQLite engine on sqlite-jdbc. Facts it relies on (SQLite documentation: "Online Backup API",
 * "Write-Ahead Logging", "PRAGMA integrity_check"):
 *
 * <ul>
 *   <li><b>Backup</b> uses SQLite's online backup API ({@code sqlite3_backup_*} through {@code
 *       org.sqlite.core.DB#backup}), never a file copy, so committed data still in {@code -wal} is
 *       captured and the copy is consistent. It is written to a hidden temp name with mode 0600,
 *       converted to {@code journal_mode=DELETE} (a single self-contained file), synced, checked
 *       with {@code PRAGMA integrity_check} (exactly one row {@code ok}; foreign-key violations are
 *       data, not damage, and are kept as they are, see {@link #checkIntegrity}), profiled, hashed
 *       (SHA-256) and only then renamed to its final name. The manifest is written last.
 *   <li><b>Restore</b> re-checks size and SHA-256 and the backup's integrity first (mismatch:
 *       reason {@code BackupCorrupt}, nothing touched), keeps the current (failed) state as a
 *       sibling file {@code <db>.failed-<UTC stamp>[-N]} taken with the backup API, page-copies the
 *       backup into the live database with the backup API (so open connections see the restored
 *       pages and stale WAL frames are never replayed), checkpoints and truncates the WAL, and then
 *       <b>re-verifies</b>: integrity {@code ok} and the profile (row counts, non-null counts,
 *       schema fingerprint, history version) equal to the manifest's. sqlite-jdbc's restore returns
 *       success and restores nothing while another connection holds a write transaction (tested
 *       with 3.54.1.0); the re-verification turns that into reason {@code RestoreNotVerified}.
 *   <li><b>Failed copies</b> are full copies of the database beside it: {@code <db file
 *       name>.failed-<yyyyMMdd'T'HHmmss'Z'>} (UTC), with {@code -2}, {@code -3}, … for further
 *       restores in the same second, mode 0600. Nothing deletes them but {@link
 *       #pruneFailedCopies}, which the pipeline and {@code dbguard restore} call after a verified
 *       restore (keeping the newest 3 by default), so they cannot fill the volume.
 * </ul>
 *
 * <p>Writers (the application) must be stopped during backup and restore; dbguard cannot stop them,
 * but it detects the effects.
 */
public final class SqliteEngine implements DatabaseEngine {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Between the database file name and the stamp in a failed copy's name. */
  private static final String FAILED_INFIX = ".failed-";

  /** Files SQLite keeps beside a database file. */
  private static final List<String> SIDECARS = List.of("-wal", "-shm", "-journal");

  /** A failed copy's files as suffixes to its name, the copy itself first. */
  private static final List<String> FAILED_COPY_FILES =
      Stream.concat(Stream.of(""), SIDECARS.stream()).toList();

  /** Pages copied per backup-API step (4 KiB pages: 64 MiB per step). */
  static final int PAGES_PER_STEP = 16_384;

  /** Milliseconds a connection waits for a lock before SQLITE_BUSY. */
  static final int BUSY_TIMEOUT_MILLIS = 5_000;

  /**
   * History tables dbguard knows, each with the query for its newest applied version. Sources: the
   * tools' own schemas (Flyway {@code flyway_schema_history}, Rails/golang-migrate {@code
   * schema_migrations}, Django {@code django_migrations}, Prisma {@code _prisma_migrations}, Knex
   * {@code knex_migrations}, Sequelize {@code SequelizeMeta}, Alembic {@code alembic_version}).
   */
  private static final Map<String, String> HISTORY_QUERIES = new LinkedHashMap<>();

  static {
    HISTORY_QUERIES.put(
        "flyway_schema_history",
        "SELECT version FROM flyway_schema_history WHERE success = 1 AND version IS NOT NULL"
            + " ORDER BY installed_rank DESC LIMIT 1");
    HISTORY_QUERIES.put(
        "schema_migrations",
        "SELECT version FROM schema_migrations ORDER BY CAST(version AS INTEGER) DESC,"
            + " version DESC LIMIT 1");
    HISTORY_QUERIES.put(
        "django_migrations",
        "SELECT (SELECT count(*) FROM django_migrations) || ' applied, last ' || app || '.' ||"
            + " name FROM django_migrations ORDER BY id DESC LIMIT 1");
    HISTORY_QUERIES.put(
        "_prisma_migrations",
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND"
            + " rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1");
    HISTORY_QUERIES.put(
        "knex_migrations", "SELECT name FROM knex_migrations ORDER BY id DESC LIMIT 1");
    HISTORY_QUERIES.put(
        "SequelizeMeta", "SELECT name FROM \"SequelizeMeta\" ORDER BY name DESC LIMIT 1");
    HISTORY_QUERIES.put("alembic_version", "SELECT version_num FROM alembic_version LIMIT 1");
  }

  private final Path file;

  /**
   * @param target a SQLite target ({@link DatabaseTarget#sqliteFile()} set)
   * @throws IllegalArgumentException for a non-SQLite target
   */
  public SqliteEngine(DatabaseTarget target) {
    if (target.kind() != EngineKind.SQLITE) {
      throw new IllegalArgumentException("not a SQLite target: " + target);
    }
    this.file = target.sqliteFile();
  }

  /** The database file this engine works on (absolute). */
  public Path file() {
    return file;
  }

  @Override
  public EngineKind kind() {
    return EngineKind.SQLITE;
  }

  @Override
  public String displayName() {
    return file.toString();
  }

  @Override
  public boolean exists() {
    try {
      return Files.isRegularFile(file) && Files.size(file) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public DataProfile profile() {
    if (!exists()) {
      return new DataProfile(Map.of(), Sha256.ofString(""), null);
    }
    try (Connection c = open(file, false)) {
      return profile(c);
    } catch (SQLException e) {
      throw new DbguardException(
          "ConnectionFailed", "cannot read SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- backup

  @Override
  public BackupManifest backup(BackupRequest request, ProgressListener progress) {
    if (!exists()) {
      throw new DbguardException(
          "BackupFailed", "SQLite database " + file + " does not exist or is empty");
    }
    Path dir = request.directory();
    checkBackupDirectory(dir);
    Instant started = request.startedAt() == null ? Instant.now() : request.startedAt();
    String base = BackupNaming.name(request.databaseName(), request.environment(), started);
    String name = base;
    // two backups in the same second: never overwrite, add -2, -3, ...
    for (int n = 2;
        Files.exists(dir.resolve(BackupNaming.fileName(name, EngineKind.SQLITE)))
            || Files.exists(ManifestStore.manifestPath(dir, name));
        n++) {
      name = base + "-" + n;
    }
    String fileName = BackupNaming.fileName(name, EngineKind.SQLITE);
    Path target = dir.resolve(fileName);
    Path tmp = dir.resolve("." + fileName + ".tmp");
    try {
      Files.deleteIfExists(tmp);
      SecureFiles.createPrivateFile(tmp);
      String serverVersion;
      try (Connection c = open(file, false)) {
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
      try {
        java.util.concurrent.Future<String> hash =
            side.submit(() -> Sha256.ofFile(tmp, "hash", progress));
        java.util.concurrent.Future<DataProfile> profiled =
            side.submit(
                () -> {
                  try (Connection c = openImmutable(tmp)) {
                    return profile(c);
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
              Map.of("path", file.toString()),
              request.environment(),
              started,
              completed,
              Instant.now(),
              size,
              sha,
              "none",
              profile,
              request.attempt(),
              false);
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
    if (dir == null) {
      throw new DbguardException("BackupFailed", "no backup directory given");
    }
    if (!Files.isDirectory(dir)) {
      throw new DbguardException(
          "BackupFailed", "backup directory " + dir + " does not exist (create it first)");
    }
    if (!Files.isWritable(dir)) {
      throw new DbguardException("BackupFailed", "backup directory " + dir + " is not writable");
    }
  }

  // ---------------------------------------------------------------- verify

  @Override
  public void verify(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    if (!Files.isRegularFile(backupFile)) {
      throw new DbguardException("BackupCorrupt", "backup file " + backupFile + " is missing");
    }
    try {
      long size = Files.size(backupFile);
      if (size == 0 || size != manifest.sizeBytes()) {
        throw new DbguardException(
            "BackupCorrupt",
            "backup file "
                + backupFile
                + " has "
                + size
                + " bytes, the manifest records "
                + manifest.sizeBytes()
                + " (truncated or replaced); refusing to use it");
      }
      String sha = Sha256.ofFile(backupFile, "verify", progress);
      if (!sha.equals(manifest.sha256())) {
        throw new DbguardException(
            "BackupCorrupt",
            "backup file "
                + backupFile
                + " has SHA-256 "
                + sha
                + ", the manifest records "
                + manifest.sha256()
                + "; refusing to use it");
      }
    } catch (IOException e) {
      throw new DbguardException(
          "BackupCorrupt", "cannot read backup file " + backupFile + ": " + describe(e), e);
    }
    try (Connection c = openImmutable(backupFile)) {
      checkIntegrity(c, backupFile);
    } catch (SQLException e) {
      throw new DbguardException(
          "BackupCorrupt",
          "backup file " + backupFile + " is not a readable SQLite database: " + e.getMessage(),
          e);
    }
  }

  // ---------------------------------------------------------------- restore

  @Override
  public RestoreResult restore(
      Path backupFile, BackupManifest manifest, ProgressListener progress) {
    long t0 = System.nanoTime();
    verify(backupFile, manifest, progress);
    String keptFailedAs = null;
    try {
      if (exists()) {
        Path failed = createFailedCopyFile();
        try (Connection c = open(file, false)) {
          int rc =
              ((SQLiteConnection) c)
                  .getDatabase()
                  .backup("main", failed.toString(), null, 100, 50, PAGES_PER_STEP);
          if (rc != 0) {
            throw new SQLException(resultCode("backup of the failed state", rc));
          }
        }
        keptFailedAs = failed.toString();
      } else {
        moveStaleSidecarsAside();
      }
      try (Connection c = open(file, true)) {
        long total = manifest.sizeBytes();
        int rc =
            ((SQLiteConnection) c)
                .getDatabase()
                .restore(
                    "main",
                    backupFile.toString(),
                    (remaining, pageCount) ->
                        progress.progress(
                            "restore",
                            total * (pageCount - remaining) / Math.max(1, pageCount),
                            total),
                    100,
                    50,
                    PAGES_PER_STEP);
        if (rc != 0) {
          throw new SQLException(resultCode("restore", rc));
        }
        try (Statement s = c.createStatement()) {
          s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
      }
    } catch (SQLException | IOException e) {
      throw new DbguardException(
          "RestoreFailed",
          "restore of "
              + file
              + " from "
              + backupFile
              + " failed: "
              + describe(e)
              + (keptFailedAs == null ? "" : "; the failed state is kept in " + keptFailedAs)
              + ". Restore by hand with the application stopped: "
              + manualRestoreCommand(backupFile),
          e);
    }
    DataProfile after = verifyRestored(backupFile, manifest, keptFailedAs);
    return new RestoreResult(after, keptFailedAs, (System.nanoTime() - t0) / 1_000_000);
  }

  private DataProfile verifyRestored(Path backupFile, BackupManifest manifest, String keptFailed) {
    String problem;
    DataProfile after = null;
    try (Connection c = open(file, false)) {
      checkIntegrity(c, file);
      after = profile(c);
      problem = compare(manifest.profile(), after);
    } catch (SQLException | DbguardException e) {
      problem = "cannot read the restored database: " + e.getMessage();
    }
    if (problem != null) {
      throw new DbguardException(
          "RestoreNotVerified",
          "the restore of "
              + file
              + " reported success but the database does not match backup "
              + manifest.name()
              + ": "
              + problem
              + ". Another connection probably held a write transaction; stop every writer"
              + " (scale the application to 0) and restore by hand: "
              + manualRestoreCommand(backupFile)
              + (keptFailed == null ? "" : " (failed state kept in " + keptFailed + ")"));
    }
    return after;
  }

  /** First difference between an expected and an actual profile, or null when equal. */
  static String compare(DataProfile expected, DataProfile actual) {
    if (expected == null) {
      return "the manifest has no profile";
    }
    if (!expected.tables().keySet().equals(actual.tables().keySet())) {
      List<String> extra = new ArrayList<>(actual.tables().keySet());
      extra.removeAll(expected.tables().keySet());
      List<String> missing = new ArrayList<>(expected.tables().keySet());
      missing.removeAll(actual.tables().keySet());
      return "tables differ (unexpected " + extra + ", missing " + missing + ")";
    }
    for (Map.Entry<String, TableProfile> e : expected.tables().entrySet()) {
      TableProfile a = actual.tables().get(e.getKey());
      if (!e.getValue().equals(a)) {
        return "table "
            + e.getKey()
            + " has "
            + a.rowCount()
            + " rows "
            + a.nonNullCounts()
            + ", the backup "
            + e.getValue().rowCount()
            + " rows "
            + e.getValue().nonNullCounts();
      }
    }
    if (!Objects.equals(expected.schemaFingerprint(), actual.schemaFingerprint())) {
      return "schema fingerprint differs";
    }
    if (!Objects.equals(expected.historyVersion(), actual.historyVersion())) {
      return "migration history is at "
          + actual.historyVersion()
          + ", the backup at "
          + expected.historyVersion();
    }
    return null;
  }

  /**
   * With no database file, a leftover {@code -wal} would be replayed over the restored file (its
   * frames are validated by the WAL's own salt, not against the main file). Move such orphans aside
   * (never delete them: they may be someone's only copy).
   */
  private void moveStaleSidecarsAside() throws IOException {
    String stamp = STAMP.format(Instant.now());
    for (String suffix : SIDECARS) {
      Path side = Path.of(file + suffix);
      if (Files.exists(side)) {
        Files.move(side, Path.of(file + suffix + ".stale-" + stamp));
      }
    }
  }

  /**
   * Renames the database file to {@code <db>.failed-<UTC stamp>} (the name a restore gives the
   * failed state, with {@code -2}, {@code -3}, … when taken, so failed-copy retention counts it)
   * and its {@code -wal}/{@code -shm}/{@code -journal} sidecars to the same name plus their suffix,
   * so SQLite still pairs them when someone opens the kept copy. Nothing is deleted.
   */
  @Override
  public String setAsideNew() {
    if (!Files.exists(file)) {
      return null;
    }
    Path kept = freeFailedCopyName();
    try {
      for (String suffix : SIDECARS) {
        Path side = Path.of(file + suffix);
        if (Files.exists(side)) {
          Files.move(side, Path.of(kept + suffix));
        }
      }
      Files.move(file, kept);
      return kept.toString();
    } catch (IOException e) {
      throw new DbguardException(
          "RestoreFailed",
          "cannot move the partially migrated new database "
              + file
              + " aside: "
              + describe(e)
              + ". Move it away by hand (with its -wal/-shm files) before the next attempt.",
          e);
    }
  }

  /**
   * The name for a new failed copy: {@code <db>.failed-<stamp>}, or with {@code -2}, {@code -3}, …
   * when a copy made in the same second, or a sidecar it left ({@code -wal}, {@code -shm}, {@code
   * -journal}), already has that name. A leftover sidecar must never pair with a new copy: SQLite
   * would replay a stale {@code -wal} over it.
   */
  private Path freeFailedCopyName() {
    String base = file.getFileName() + FAILED_INFIX + STAMP.format(Instant.now());
    Path candidate = file.resolveSibling(base);
    for (int n = 2; taken(candidate); n++) {
      candidate = file.resolveSibling(base + "-" + n);
    }
    return candidate;
  }

  private static boolean taken(Path copy) {
    return FAILED_COPY_FILES.stream()
        .anyMatch(suffix -> Files.exists(Path.of(copy + suffix), LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Creates the empty file (mode 0600) that receives the failed state, named by {@link
   * #freeFailedCopyName}; a name another process takes between the check and the creation is
   * skipped.
   */
  private Path createFailedCopyFile() throws IOException {
    while (true) {
      try {
        return SecureFiles.createPrivateFile(freeFailedCopyName());
      } catch (FileAlreadyExistsException taken) {
        // taken meanwhile: look again
      }
    }
  }

  // ---------------------------------------------------------------- failed copies

  /**
   * The failed copies of this file, newest first: regular files (not symbolic links) in its
   * directory named {@code <file name>.failed-<yyyyMMdd'T'HHmmss'Z'>} with an optional {@code -N}
   * (N &ge; 2), whose stamp is a real UTC date and time, or such a name whose file is gone but
   * whose {@code -wal}, {@code -shm} or {@code -journal} is left.
   *
   * @return absolute paths
   * @throws DbguardException {@code FailedCopiesUnreadable} when the directory cannot be listed
   */
  @Override
  public List<String> failedCopies() {
    return FailedCopies.newestFirst(findFailedCopies()).stream()
        .map(FailedCopies.Copy::name)
        .toList();
  }

  /**
   * Deletes the failed copies beyond the newest {@code keep} (see {@link
   * DatabaseEngine#pruneFailedCopies}): each file, then its {@code -wal}, {@code -shm} and {@code
   * -journal}. A file that cannot be deleted is reported in {@link FailedCopyPruning#problems()}.
   */
  @Override
  public FailedCopyPruning pruneFailedCopies(int keep) {
    FailedCopies.requireKeep(keep);
    return FailedCopies.prune(findFailedCopies(), keep, SqliteEngine::deleteFailedCopy);
  }

  private List<FailedCopies.Copy> findFailedCopies() {
    Pattern copyName =
        Pattern.compile(
            Pattern.quote(file.getFileName() + FAILED_INFIX)
                + "(\\d{8}T\\d{6}Z)(?:-([2-9]|[1-9]\\d{1,8}))?("
                + String.join("|", SIDECARS)
                + ")?");
    Map<String, FailedCopies.Copy> copies = new TreeMap<>();
    Path dir = file.getParent();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Matcher m = copyName.matcher(p.getFileName().toString());
        if (!m.matches() || !FailedCopies.isStamp(m.group(1), STAMP)) {
          continue;
        }
        String path = p.toString();
        Path copy =
            Path.of(
                m.group(3) == null ? path : path.substring(0, path.length() - m.group(3).length()));
        // the copy is a regular file, or gone and this is a regular sidecar file it left
        boolean ours =
            Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)
                || (!Files.exists(copy, LinkOption.NOFOLLOW_LINKS)
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
        if (ours) {
          copies.putIfAbsent(
              copy.toString(),
              new FailedCopies.Copy(
                  copy.toString(),
                  m.group(1),
                  m.group(2) == null ? 1 : Integer.parseInt(m.group(2))));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DbguardException(
          "FailedCopiesUnreadable",
          "cannot list the failed copies of " + file + " in " + dir + ": " + describe(e),
          e);
    }
    return List.copyOf(copies.values());
  }

  /**
   * Deletes a failed copy, then its sidecars (regular files only); null when all are gone, else why
   * not. When the copy itself cannot be deleted its sidecars stay: its {@code -wal} may hold
   * committed pages of the copy.
   */
  private static String deleteFailedCopy(String copy) {
    for (String suffix : FAILED_COPY_FILES) {
      Path p = Path.of(copy + suffix);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        Files.delete(p);
      } catch (NoSuchFileException gone) {
        // deleted meanwhile: fine
      } catch (IOException e) {
        String why =
            e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getReason()
                : describe(e);
        return copy + ": cannot delete " + p.getFileName() + ": " + why;
      }
    }
    return null;
  }

  @Override
  public String manualRestoreCommand(Path backupFile) {
    return "sqlite3 "
        + shellQuote(file.toString())
        + " "
        + shellQuote(".restore " + sqliteQuote(backupFile.toAbsolutePath().toString()));
  }

  @Override
  public boolean hasUserTables() {
    if (!exists()) {
      return false;
    }
    try (Connection c = open(file, false);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
      while (rs.next()) {
        String sql = rs.getString(1);
        if (sql == null || !isVirtual(sql)) {
          return true;
        }
      }
      return false;
    } catch (SQLException e) {
      throw new DbguardException(
          "ConnectionFailed", "cannot read SQLite database " + file + ": " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- profile

  /** Profiles the database behind an open connection. */
  static DataProfile profile(Connection c) throws SQLException {
    Map<String, TableProfile> tables = new TreeMap<>();
    List<String> names = new ArrayList<>();
    List<String> schemaLines = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE"
                    + " 'sqlite_%' ORDER BY type, name")) {
      while (rs.next()) {
        String type = rs.getString(1);
        String name = rs.getString(2);
        String sql = rs.getString(4);
        schemaLines.add(type + "|" + name + "|" + rs.getString(3) + "|" + normalizeSql(sql));
        if ("table".equals(type) && (sql == null || !isVirtual(sql))) {
          names.add(name);
        }
      }
    }
    for (String t : names) {
      List<String> cols = new ArrayList<>();
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA table_info(" + quoteIdent(t) + ")")) {
        while (rs.next()) {
          cols.add(rs.getString("name"));
        }
      }
      StringBuilder q = new StringBuilder("SELECT count(*)");
      for (String col : cols) {
        q.append(", count(").append(quoteIdent(col)).append(')');
      }
      q.append(" FROM ").append(quoteIdent(t));
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(q.toString())) {
        rs.next();
        Map<String, Long> nn = new LinkedHashMap<>();
        for (int i = 0; i < cols.size(); i++) {
          nn.put(cols.get(i), rs.getLong(i + 2));
        }
        tables.put(t, new TableProfile(rs.getLong(1), nn));
      }
    }
    return new DataProfile(
        tables, Sha256.ofString(String.join("\n", schemaLines)), historyVersion(c, names));
  }

  private static String historyVersion(Connection c, List<String> tables) {
    for (Map.Entry<String, String> h : HISTORY_QUERIES.entrySet()) {
      if (!tables.contains(h.getKey())) {
        continue;
      }
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery(h.getValue())) {
        return rs.next() ? h.getKey() + ":" + rs.getString(1) : h.getKey() + ":(empty)";
      } catch (SQLException e) {
        // a user table that happens to share the name but not the columns: try the next one
      }
    }
    return null;
  }

  private static boolean isVirtual(String sql) {
    return sql.trim().toUpperCase(java.util.Locale.ROOT).startsWith("CREATE VIRTUAL");
  }

  /** Collapses whitespace outside of nothing in particular: runs of blanks become one space. */
  static String normalizeSql(String sql) {
    return sql == null ? "" : sql.replaceAll("\\s+", " ").trim();
  }

  /**
   * Runs {@code PRAGMA integrity_check}, which must return exactly one row, {@code ok}
   * (sqlite.org/pragma.html#pragma_integrity_check). It checks every page's b-tree structure, the
   * free list, NOT NULL and CHECK constraints, UNIQUE constraints and that every index matches its
   * table.
   *
   * <p>{@code PRAGMA foreign_key_check} is deliberately <b>not</b> part of it: SQLite enforces
   * foreign keys only on connections that enable them, so many live databases hold violations the
   * application has lived with. They are data, not damage; a backup reproduces them faithfully and
   * refusing to back up (or to restore) such a database would block every migration. It also cost
   * as much as the integrity check itself (3.0 s vs 3.2 s on the 1.05 GB benchmark database).
   *
   * @throws DbguardException reason {@code BackupCorrupt} listing up to 5 problems
   */
  static void checkIntegrity(Connection c, Path what) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      while (rs.next()) {
        rows.add(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new DbguardException(
          "BackupCorrupt", "integrity_check of " + what + " failed: " + e.getMessage(), e);
    }
    if (rows.size() != 1 || !"ok".equals(rows.get(0))) {
      throw new DbguardException(
          "BackupCorrupt",
          "PRAGMA integrity_check of "
              + what
              + " returned "
              + rows.size()
              + " problem row(s): "
              + String.join("; ", rows.subList(0, Math.min(5, rows.size()))));
    }
  }

  // ---------------------------------------------------------------- helpers

  static Connection open(Path db, boolean create) throws SQLException {
    if (!create && !Files.exists(db)) {
      throw new SQLException("database file " + db + " does not exist");
    }
    Properties p = new Properties();
    p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MILLIS));
    return DriverManager.getConnection("jdbc:sqlite:" + db, p);
  }

  /**
   * Read-only, no locking and no journal/WAL lookup: for backup files dbguard owns and nobody
   * writes. Reads are memory-mapped (up to {@link #MMAP_BYTES}) with a 256 MiB page cache, which
   * makes the full-file reads of integrity_check and the profile much cheaper than the default 2
   * MiB cache with read() calls.
   */
  static Connection openImmutable(Path db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    Connection c =
        DriverManager.getConnection(
            "jdbc:sqlite:file:" + db.toAbsolutePath().toUri().getRawPath() + "?immutable=1", p);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
      s.execute("PRAGMA cache_size=-262144");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Largest memory map for reading a backup file: 16 GiB (SQLite caps it at its own limit). */
  static final long MMAP_BYTES = 16L << 30;

  private static String sqliteVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static int pragmaInt(Connection c, String pragma) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The sqlite-jdbc driver version, e.g. {@code 3.54.1.0}. */
  public static String driverVersion() {
    String v = SQLiteJDBCLoader.getVersion();
    return v == null ? "unknown" : v;
  }

  static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  private static String sqliteQuote(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }

  /** POSIX shell single-quoting. */
  public static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
      Files.deleteIfExists(Path.of(p + "-journal"));
    } catch (IOException ignored) {
      // best effort cleanup of our own temp file
    }
  }

  /** A SQLite primary result code in words (https://www.sqlite.org/rescode.html). */
  static String resultCode(String what, int rc) {
    String words =
        switch (rc & 0xff) {
          case 5 -> "SQLITE_BUSY: another connection holds a lock";
          case 8 -> "SQLITE_READONLY: the destination is read-only";
          case 10 -> "SQLITE_IOERR: an I/O error";
          case 13 -> "SQLITE_FULL: the disk is full";
          case 14 -> "SQLITE_CANTOPEN: cannot open the file";
          case 26 -> "SQLITE_NOTADB: not a SQLite database";
          default -> "SQLite result code " + rc;
        };
    return what + " failed with " + words;
  }

  static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file " + m;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied on " + m;
    }
    if (m != null && m.contains("No space left")) {
      return "the disk is full (" + m + ")";
    }
    if (m != null && (m.contains("SQLITE_FULL") || m.contains("database or disk is full"))) {
      return "the disk is full (" + m + ")";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
