package io.dbguard.core.engine.postgres;

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
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.engine.TableProfile;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import io.dbguard.core.engine.postgres.PostgresOptions.VerifyMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PostgreSQL engine: {@code pg_dump} custom-format backups taken inside an exported snapshot,
 * verified by a full read, restored by replacing (never overlaying) the database. See {@code
 * docs/postgres.md} for the procedure, required privileges and the traps each step handles.
 *
 * <p>Facts relied on come from the PostgreSQL 15 manual pages "pg_dump", "pg_restore", "Snapshot
 * Synchronization Functions" ({@code pg_export_snapshot}), "ALTER DATABASE", "Server Signaling
 * Functions" ({@code pg_terminate_backend}) and "PostgreSQL Error Codes"; each trap is proven by a
 * test listed in {@code docs/postgres.md}.
 *
 * <p>Failures are {@link DbguardException}s with these reasons: {@code ToolMissing}, {@code
 * PgDumpTooOld}, {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code DatabaseMissing},
 * {@code LockTimeout}, {@code PermissionDenied}, {@code BackupDirectoryUnusable}, {@code
 * BackupStorageFull}, {@code BackupWriteFailed}, {@code BackupFailed}, {@code BackupCorrupt},
 * {@code RestoreFailed}, {@code RestoreNotVerified}, {@code DatabaseBusy}, {@code DatabaseError}.
 * No message contains a password.
 */
public final class PostgresEngine implements DatabaseEngine {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);
  private static final int MAX_IDENT_BYTES = 63;

  /**
   * A failed copy's name as {@link #restoreSwap} makes it: the (possibly shortened) live name, then
   * {@code _failed_<stamp>} and {@link #freeName}'s optional {@code _N} (N &ge; 2).
   */
  private static final Pattern FAILED_COPY_NAME =
      Pattern.compile("(.*)(_failed_(\\d{8}_\\d{6})(?:_([2-9]|[1-9]\\d{1,8}))?)", Pattern.DOTALL);

  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  /** Test seam: runs after the snapshot is exported and before pg_dump starts. */
  volatile Runnable afterSnapshotExport = () -> {};

  /**
   * @param target a PostgreSQL target ({@link DatabaseTarget#kind()} must be {@code POSTGRESQL})
   * @param options tools, compression, lock wait, restore strategy; {@code null} means {@link
   *     PostgresOptions#defaults()}
   * @throws IllegalArgumentException when the target is not PostgreSQL
   */
  public PostgresEngine(DatabaseTarget target, PostgresOptions options) {
    if (target == null || target.kind() != EngineKind.POSTGRESQL) {
      throw new IllegalArgumentException("PostgresEngine needs a PostgreSQL target: " + target);
    }
    this.target = target;
    this.options = options == null ? PostgresOptions.defaults() : options;
    this.tools = new PgTools(this.options.toolDirectory());
  }

  /** The options in effect. */
  public PostgresOptions options() {
    return options;
  }

  @Override
  public EngineKind kind() {
    return EngineKind.POSTGRESQL;
  }

  @Override
  public String displayName() {
    return target.database();
  }

  /**
   * Whether the database exists: a session to it can be opened.
   *
   * @throws DbguardException {@code ConnectionFailed} or {@code AuthenticationFailed}
   */
  @Override
  public boolean exists() {
    try (Connection c = open(target, "dbguard-exists")) {
      return true;
    } catch (DbguardException e) {
      if ("DatabaseMissing".equals(e.reason())) {
        return false;
      }
      throw e;
    } catch (SQLException e) {
      return true;
    }
  }

  /**
   * Profiles the live database in one {@code REPEATABLE READ READ ONLY} transaction; an empty
   * profile when the database does not exist.
   *
   * @throws DbguardException {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseError}
   */
  @Override
  public DataProfile profile() {
    Connection c = openIfExists("dbguard-profile");
    if (c == null) {
      return new DataProfile(Map.of(), null, null);
    }
    try (c) {
      return profileIn(c);
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot profile " + target.redacted());
    }
  }

  @Override
  public boolean hasUserTables() {
    Connection c = openIfExists("dbguard-profile");
    if (c == null) {
      return false;
    }
    try (c) {
      return !PgProfiler.userTables(c).isEmpty();
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot list the tables of " + target.redacted());
    }
  }

  /** A session on the target, or {@code null} when the database does not exist. */
  private Connection openIfExists(String applicationName) {
    try {
      return open(target, applicationName);
    } catch (DbguardException e) {
      if ("DatabaseMissing".equals(e.reason())) {
        return null;
      }
      throw e;
    }
  }

  private static DataProfile profileIn(Connection c) throws SQLException {
    c.setAutoCommit(false);
    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
    c.setReadOnly(true);
    try {
      PgProfiler.prepareSession(c, true);
      return PgProfiler.profile(c);
    } finally {
      c.rollback();
    }
  }

  // ---------------------------------------------------------------- backup

  /**
   * Takes the backup described in {@link DatabaseEngine#backup}: {@code pg_dump -Fc -Z<level>
   * --snapshot=<exported> --lock-wait-timeout=<ms>} while dbguard's own {@code REPEATABLE READ}
   * transaction (which exported the snapshot and holds {@code ACCESS SHARE} on every user table)
   * profiles the same snapshot; pg_dump's stdout is hashed, written to {@code .<file>.partial}
   * (mode 0600) and, in {@link VerifyMode#STREAMING}, fed to {@code pg_restore -f /dev/null} at the
   * same time. The file is fsync'd, renamed, its directory fsync'd, then the manifest is written.
   * Progress phase {@code dump}, in bytes of the archive.
   *
   * @return the written manifest, {@code verifiedAt} set
   * @throws DbguardException {@code ToolMissing}, {@code PgDumpTooOld}, {@code ConnectionFailed},
   *     {@code AuthenticationFailed}, {@code DatabaseMissing}, {@code LockTimeout}, {@code
   *     BackupDirectoryUnusable}, {@code BackupStorageFull}, {@code BackupWriteFailed}, {@code
   *     BackupFailed}, {@code BackupCorrupt}; the partial file is removed in every case
   */
  @Override
  public BackupManifest backup(BackupRequest request, ProgressListener progress) {
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
    String name = BackupNaming.name(dbLabel, environment, startedAt);
    String fileName = BackupNaming.fileName(name, EngineKind.POSTGRESQL);
    Path dir = request.directory();
    if (dir == null || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new DbguardException(
          "BackupDirectoryUnusable",
          "backup directory " + dir + " does not exist or is not writable");
    }
    Path finalFile = dir.resolve(fileName);
    if (Files.exists(finalFile)) {
      throw new DbguardException(
          "BackupDirectoryUnusable", "backup file " + finalFile + " already exists");
    }
    Path partial = dir.resolve("." + fileName + ".partial");
    int lockWaitSeconds =
        request.lockWaitTimeoutSeconds() > 0
            ? request.lockWaitTimeoutSeconds()
            : options.lockWaitTimeoutSeconds();

    Path pgDump = tools.locate("pg_dump");
    Path pgRestore = tools.locate("pg_restore");
    String dumpVersion = tools.version(pgDump);
    String restoreVersion = tools.version(pgRestore);

    ExecutorService profiler = Executors.newSingleThreadExecutor(daemon("dbguard-profile"));
    ToolProcess dump = null;
    ToolProcess reader = null;
    try (Connection c = open(target, "dbguard-backup")) {
      String serverVersion = scalar(c, "SHOW server_version");
      int serverNum = Integer.parseInt(scalar(c, "SHOW server_version_num"));
      requireToolNotOlder("pg_dump", pgDump, dumpVersion, serverNum, serverVersion);
      requireToolNotOlder("pg_restore", pgRestore, restoreVersion, serverNum, serverVersion);

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
      Future<DataProfile> profileFuture = profiler.submit(() -> PgProfiler.profile(c));

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
        verifyFile(finalFile, pass.bytes(), pass.sha256(), pgRestore, pl);
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
              target.identity(),
              environment,
              startedAt,
              completedAt,
              Instant.now(),
              pass.bytes(),
              pass.sha256(),
              options.compressionLabel(),
              profile,
              request.attempt(),
              false);
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

  // ---------------------------------------------------------------- verify

  /**
   * Checks size and SHA-256 against the manifest and reads the whole archive with {@code pg_restore
   * -f /dev/null}, all in one read of the file (the bytes are hashed while they are piped to
   * pg_restore). Progress phase {@code verify}.
   *
   * @throws DbguardException {@code BackupCorrupt} (missing, size or hash mismatch, unreadable
   *     archive), {@code ToolMissing}
   */
  @Override
  public void verify(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    Path pgRestore = tools.locate("pg_restore");
    verifyFile(
        backupFile,
        manifest.sizeBytes(),
        manifest.sha256(),
        pgRestore,
        progress == null ? ProgressListener.NONE : progress);
  }

  private void verifyFile(
      Path file, long size, String sha256, Path pgRestore, ProgressListener progress) {
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

  private void requireHash(Path file, BackupManifest manifest, ProgressListener progress) {
    ArchiveStreams.Pass pass = ArchiveStreams.readFile(file, null, progress, "hash");
    if (pass.bytes() != manifest.sizeBytes()
        || !pass.sha256().equalsIgnoreCase(manifest.sha256())) {
      throw new DbguardException(
          "BackupCorrupt",
          "refusing to restore "
              + file
              + ": it has "
              + pass.bytes()
              + " bytes and SHA-256 "
              + pass.sha256()
              + ", the manifest records "
              + manifest.sizeBytes()
              + " bytes and "
              + manifest.sha256());
    }
  }

  // ---------------------------------------------------------------- restore

  /**
   * Restores as described in {@link DatabaseEngine#restore} with the configured {@link
   * RestoreStrategy}. Progress phases {@code hash} then {@code restore} (bytes of the archive).
   *
   * <p>{@link RestoreStrategy#SWAP} keeps the replaced live database, renamed {@code
   * <db>_failed_<YYYYMMDD_HHMMSS>} (UTC; {@code _2}, {@code _3}, … when that name is taken; the
   * live name shortened to fit 63 bytes). It is a full copy on the same server: {@link
   * #pruneFailedCopies} drops all but the newest few, and the pipeline and {@code dbguard restore}
   * call it after a verified restore (keeping 3 by default).
   *
   * @return the verified profile and, for {@link RestoreStrategy#SWAP}, the name of the kept {@code
   *     <db>_failed_<YYYYMMDD_HHMMSS>} database (UTC)
   * @throws DbguardException {@code BackupCorrupt} (nothing was changed), {@code RestoreFailed}
   *     (pg_restore failed: SWAP leaves the live database untouched, CLEAN_IN_PLACE rolls back),
   *     {@code RestoreNotVerified}, {@code DatabaseBusy}, {@code ConnectionFailed}, {@code
   *     AuthenticationFailed}, {@code ToolMissing}
   */
  @Override
  public RestoreResult restore(
      Path backupFile, BackupManifest manifest, ProgressListener progress) {
    ProgressListener pl = progress == null ? ProgressListener.NONE : progress;
    long t0 = System.nanoTime();
    requireHash(backupFile, manifest, pl);
    Path pgRestore = tools.locate("pg_restore");
    RestoreStrategy strategy = chooseStrategy();
    LOG.info("restore {}: strategy {}", target.redacted(), strategy.displayName());
    RestoreResult r =
        strategy == RestoreStrategy.SWAP
            ? restoreSwap(backupFile, manifest, pgRestore, pl, t0)
            : restoreClean(backupFile, manifest, pgRestore, pl, t0);
    LOG.info("restore {}: verified, kept failed state as {}", target.redacted(), r.keptFailedAs());
    return r;
  }

  /** The strategy {@link RestoreStrategy#AUTO} resolves to for this target and role. */
  public RestoreStrategy chooseStrategy() {
    if (options.restoreStrategy() != RestoreStrategy.AUTO) {
      return options.restoreStrategy();
    }
    try (Connection c =
            open(target.withDatabase(options.maintenanceDatabase()), "dbguard-restore");
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT r.rolsuper OR (r.rolcreatedb AND coalesce((SELECT pg_has_role(d.datdba,"
                    + " 'MEMBER') FROM pg_database d WHERE d.datname = ?), true)) FROM pg_roles r"
                    + " WHERE r.rolname = current_user")) {
      ps.setString(1, target.database());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getBoolean(1)
            ? RestoreStrategy.SWAP
            : RestoreStrategy.CLEAN_IN_PLACE;
      }
    } catch (DbguardException e) {
      // The maintenance database may be closed to this role (pg_hba, CONNECT privilege): when the
      // target itself is reachable, restore in place; otherwise report the target's error.
      try (Connection c = open(target, "dbguard-restore")) {
        return RestoreStrategy.CLEAN_IN_PLACE;
      } catch (SQLException ignored) {
        return RestoreStrategy.CLEAN_IN_PLACE;
      }
    } catch (SQLException e) {
      return RestoreStrategy.CLEAN_IN_PLACE;
    }
  }

  private RestoreResult restoreSwap(
      Path file, BackupManifest manifest, Path pgRestore, ProgressListener pl, long t0) {
    String live = target.database();
    String ts = STAMP.format(Instant.now());
    String restoreDb;
    String failedDb;
    try (Connection m = openMaintenance("dbguard-restore")) {
      restoreDb = freeName(m, live, "_restore_" + ts);
      failedDb = freeName(m, live, "_failed_" + ts);
      boolean superuser = "on".equals(scalar(m, "SHOW is_superuser"));
      String owner = null;
      StringBuilder create =
          new StringBuilder("CREATE DATABASE ")
              .append(PgProfiler.quoteIdent(restoreDb))
              .append(" TEMPLATE template0");
      boolean liveExists = false;
      try (PreparedStatement ps =
          m.prepareStatement(
              "SELECT pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate,"
                  + " d.datctype, d.datlocprovider::text, d.daticulocale,"
                  + " pg_has_role(d.datdba, 'MEMBER') FROM pg_database d WHERE d.datname = ?")) {
        ps.setString(1, live);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            liveExists = true;
            owner = rs.getString(1);
            create.append(" ENCODING ").append(PgProfiler.quoteLiteral(rs.getString(2)));
            create.append(" LC_COLLATE ").append(PgProfiler.quoteLiteral(rs.getString(3)));
            create.append(" LC_CTYPE ").append(PgProfiler.quoteLiteral(rs.getString(4)));
            if ("i".equals(rs.getString(5)) && rs.getString(6) != null) {
              create
                  .append(" LOCALE_PROVIDER icu ICU_LOCALE ")
                  .append(PgProfiler.quoteLiteral(rs.getString(6)));
            }
            if (superuser || rs.getBoolean(7)) {
              create.append(" OWNER ").append(PgProfiler.quoteIdent(owner));
            }
          }
        }
      }
      exec(m, create.toString());
      boolean swapped = false;
      try {
        RestoreFlags flags = restoreFlags(m, file, pgRestore, superuser);
        List<String> cmd = new ArrayList<>();
        cmd.add(pgRestore.toString());
        cmd.add("--dbname=" + restoreDb);
        cmd.add("--single-transaction");
        cmd.add("--exit-on-error");
        cmd.add("--no-password");
        cmd.addAll(flags.args());
        runRestoreTool(cmd, target.withDatabase(restoreDb), file, pl, "pg_restore");

        DataProfile restored = profileOf(target.withDatabase(restoreDb));
        requireEqual(manifest.profile(), restored, restoreDb + " (restored aside, not swapped in)");

        for (String sql : databaseProperties(file, pgRestore, restoreDb, superuser)) {
          try {
            exec(m, sql);
          } catch (SQLException e) {
            LOG.warn(
                "restore {}: could not re-apply database property ({}): {}",
                target.redacted(),
                firstWords(sql),
                PgConnections.clean(e.getMessage(), target));
          }
        }
        swap(m, live, liveExists ? failedDb : null, restoreDb);
        swapped = true;
      } finally {
        if (!swapped) {
          dropQuietly(m, restoreDb);
        }
      }
      DataProfile after = profileOf(target);
      requireEqual(manifest.profile(), after, live + " after the swap");
      return new RestoreResult(
          after, liveExists ? failedDb : null, (System.nanoTime() - t0) / 1_000_000);
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "restore of " + target.redacted() + " failed");
    }
  }

  private void swap(Connection m, String live, String failedDb, String restoreDb)
      throws SQLException {
    SQLException last = null;
    for (int attempt = 0; attempt < 20; attempt++) {
      try (PreparedStatement ps =
          m.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname IN (?, ?)"
                  + " AND pid <> pg_backend_pid()")) {
        ps.setString(1, live);
        ps.setString(2, restoreDb);
        ps.execute();
      }
      m.setAutoCommit(false);
      try (Statement st = m.createStatement()) {
        // Both renames in one transaction: the app sees the old or the new database, never
        // none ("ALTER DATABASE" manual page: renaming needs no other session connected).
        if (failedDb != null) {
          st.execute(
              "ALTER DATABASE "
                  + PgProfiler.quoteIdent(live)
                  + " RENAME TO "
                  + PgProfiler.quoteIdent(failedDb));
        }
        st.execute(
            "ALTER DATABASE "
                + PgProfiler.quoteIdent(restoreDb)
                + " RENAME TO "
                + PgProfiler.quoteIdent(live));
        m.commit();
        return;
      } catch (SQLException e) {
        m.rollback();
        last = e;
        if (!"55006".equals(e.getSQLState())) {
          throw e;
        }
      } finally {
        m.setAutoCommit(true);
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new DbguardException(
        "DatabaseBusy",
        "could not swap the restored database in: sessions keep reconnecting to "
            + live
            + " (stop the application first): "
            + (last == null ? "" : PgConnections.clean(last.getMessage(), target)),
        last);
  }

  private RestoreResult restoreClean(
      Path file, BackupManifest manifest, Path pgRestore, ProgressListener pl, long t0) {
    Path psql = tools.locate("psql");
    StringBuilder prelude = new StringBuilder();
    boolean superuser;
    RestoreFlags flags;
    try (Connection c = open(target, "dbguard-restore")) {
      superuser = "on".equals(scalar(c, "SHOW is_superuser"));
      flags = restoreFlags(c, file, pgRestore, superuser);
      prelude.append("SET client_min_messages = warning;\n");
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT n.nspname, pg_get_userbyid(n.nspowner),"
                      + " obj_description(n.oid, 'pg_namespace') FROM pg_namespace n WHERE"
                      + " n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%' AND"
                      + " NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid ="
                      + " 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')"
                      + " ORDER BY 1")) {
        while (rs.next()) {
          prelude
              .append("DROP SCHEMA ")
              .append(PgProfiler.quoteIdent(rs.getString(1)))
              .append(" CASCADE;\n");
          if ("public".equals(rs.getString(1))) {
            // pg_dump does not emit CREATE SCHEMA public (it exists in every new database), so
            // recreate it as it was: owner, privileges, comment.
            prelude
                .append("CREATE SCHEMA public AUTHORIZATION ")
                .append(PgProfiler.quoteIdent(rs.getString(2)))
                .append(";\n");
            if (rs.getString(3) != null) {
              prelude
                  .append("COMMENT ON SCHEMA public IS ")
                  .append(PgProfiler.quoteLiteral(rs.getString(3)))
                  .append(";\n");
            }
          }
        }
      }
      try (Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE"
                      + " quote_ident(pg_get_userbyid(a.grantee)) END, a.privilege_type FROM"
                      + " pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND"
                      + " a.grantee <> n.nspowner")) {
        while (rs.next()) {
          prelude
              .append("GRANT ")
              .append(rs.getString(2))
              .append(" ON SCHEMA public TO ")
              .append(rs.getString(1))
              .append(";\n");
        }
      }
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "restore of " + target.redacted() + " failed");
    }
    List<String> dumpCmd = new ArrayList<>();
    dumpCmd.add(pgRestore.toString());
    dumpCmd.add("--file=-");
    dumpCmd.addAll(flags.args());
    List<String> psqlCmd =
        List.of(
            psql.toString(),
            "--no-psqlrc",
            "--quiet",
            "--no-password",
            "--set=ON_ERROR_STOP=1",
            "--single-transaction",
            "--file=-");
    try (ToolProcess sqlGen =
            ToolProcess.start("pg_restore", dumpCmd, null, options.connectTimeoutSeconds(), false);
        ToolProcess applier =
            ToolProcess.start("psql", psqlCmd, target, options.connectTimeoutSeconds(), true)) {
      Thread feeder =
          new Thread(
              () -> {
                try (OutputStream out = sqlGen.stdin()) {
                  ArchiveStreams.readFile(file, out, pl, "restore");
                } catch (IOException | DbguardException ignored) {
                  // reported through pg_restore's exit code
                }
              },
              "dbguard-restore-feed");
      feeder.setDaemon(true);
      feeder.start();
      boolean applierFailed = false;
      try (OutputStream toPsql = applier.stdin();
          InputStream sql = sqlGen.stdout()) {
        toPsql.write(prelude.toString().getBytes(StandardCharsets.UTF_8));
        sql.transferTo(toPsql);
      } catch (IOException e) {
        applierFailed = true;
        sqlGen.close();
      }
      int genRc = sqlGen.waitFor();
      int rc = applier.waitFor();
      if (rc != 0 || applierFailed || genRc != 0) {
        throw new DbguardException(
            "RestoreFailed",
            "in-place restore of "
                + target.redacted()
                + " failed and was rolled back (the database is still in its migrated state):"
                + " psql exit "
                + rc
                + ": "
                + applier.stderr()
                + (genRc != 0 ? " / pg_restore exit " + genRc + ": " + sqlGen.stderr() : ""));
      }
    }
    DataProfile after = profileOf(target);
    requireEqual(manifest.profile(), after, target.database() + " after the in-place restore");
    return new RestoreResult(after, null, (System.nanoTime() - t0) / 1_000_000);
  }

  /** Runs pg_restore with the archive fed on stdin, reporting bytes as progress. */
  private void runRestoreTool(
      List<String> cmd, DatabaseTarget db, Path file, ProgressListener pl, String name) {
    try (ToolProcess p = ToolProcess.start(name, cmd, db, options.connectTimeoutSeconds(), true)) {
      ArchiveStreams.Pass pass = ArchiveStreams.readFile(file, p.stdin(), pl, "restore");
      int rc = p.waitFor();
      if (rc != 0 || pass.sinkFailed()) {
        throw new DbguardException(
            "RestoreFailed",
            "pg_restore into "
                + db.database()
                + " failed (exit "
                + rc
                + "); it ran in one transaction, so nothing of it was kept and the live"
                + " database was not touched: "
                + p.stderr());
      }
    }
  }

  /** Extra pg_restore flags: ownership and privileges only when the roles allow them. */
  private record RestoreFlags(List<String> args, Set<String> missingRoles) {}

  private RestoreFlags restoreFlags(Connection c, Path file, Path pgRestore, boolean superuser)
      throws SQLException {
    List<String> toc = runCapture(List.of(pgRestore.toString(), "--list", file.toString()));
    Set<String> owners = new TreeSet<>();
    List<String> aclLines = new ArrayList<>();
    Pattern entry = Pattern.compile("^\\d+; \\d+ \\d+ (.*) (\\S+)$");
    for (String line : toc) {
      if (line.startsWith(";") || line.isBlank()) {
        continue;
      }
      Matcher mm = entry.matcher(line);
      if (mm.matches()) {
        owners.add(mm.group(2));
        if (mm.group(1).startsWith("ACL ") || mm.group(1).startsWith("DEFAULT ACL ")) {
          aclLines.add(line);
        }
      }
    }
    Set<String> grantees = new TreeSet<>();
    if (!aclLines.isEmpty()) {
      Path list = null;
      try {
        list = Files.createTempFile("dbguard-acl", ".list");
        Files.write(list, aclLines);
        Pattern to =
            Pattern.compile("\\b(?:TO|FROM) (\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)");
        for (String l :
            runCapture(
                List.of(pgRestore.toString(), "--file=-", "--use-list=" + list, file.toString()))) {
          Matcher g = to.matcher(l);
          while (g.find()) {
            String r = g.group(1);
            if (r.startsWith("\"")) {
              r = r.substring(1, r.length() - 1).replace("\"\"", "\"");
            }
            if (!r.equals("PUBLIC")) {
              grantees.add(r);
            }
          }
        }
      } catch (IOException e) {
        throw new DbguardException("RestoreFailed", "cannot inspect archive privileges: " + e, e);
      } finally {
        Path l = list;
        ArchiveStreams.closeQuietly(() -> Files.deleteIfExists(l));
      }
    }
    Set<String> missing = new TreeSet<>();
    boolean ownersUsable = true;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?),"
                + " (SELECT pg_has_role(oid, 'MEMBER') FROM pg_roles WHERE rolname = ?)")) {
      for (String role : owners) {
        ps.setString(1, role);
        ps.setString(2, role);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            missing.add(role);
            ownersUsable = false;
          } else if (!superuser && !rs.getBoolean(2)) {
            ownersUsable = false;
          }
        }
      }
      boolean grantsUsable = true;
      for (String role : grantees) {
        ps.setString(1, role);
        ps.setString(2, role);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            missing.add(role);
            grantsUsable = false;
          }
        }
      }
      List<String> args = new ArrayList<>();
      if (!ownersUsable) {
        args.add("--no-owner");
      }
      if (!grantsUsable) {
        args.add("--no-privileges");
      }
      if (!args.isEmpty()) {
        LOG.warn(
            "restore {}: using {} (roles missing on this server: {}; objects will be owned by"
                + " the restoring role)",
            target.redacted(),
            args,
            missing);
      }
      return new RestoreFlags(List.copyOf(args), missing);
    }
  }

  /**
   * Database-level properties stored in the archive (comment, {@code ALTER DATABASE … SET}, {@code
   * ALTER ROLE … IN DATABASE … SET}, grants, owner), rewritten to name {@code newName}. A plain
   * restore into a pre-created database does not apply them (PostgreSQL manual, "pg_restore",
   * option {@code --create}); only {@code pg_restore --create} emits them.
   */
  List<String> databaseProperties(Path file, Path pgRestore, String newName, boolean superuser) {
    List<String> toc =
        runCapture(List.of(pgRestore.toString(), "--create", "--list", file.toString()));
    String archiveDb = null;
    List<String> selected = new ArrayList<>();
    Pattern dbEntry =
        Pattern.compile("^\\d+; \\d+ \\d+ (DATABASE |DATABASE PROPERTIES |\\S+ - DATABASE ).*");
    for (String line : toc) {
      if (line.startsWith(";") && line.contains("dbname:")) {
        archiveDb = line.substring(line.indexOf("dbname:") + "dbname:".length()).strip();
      } else if (dbEntry.matcher(line).matches()) {
        selected.add(line);
      }
    }
    if (archiveDb == null || selected.isEmpty()) {
      return List.of();
    }
    Path list = null;
    List<String> script;
    try {
      list = Files.createTempFile("dbguard-db", ".list");
      Files.write(list, selected);
      script =
          runCapture(
              List.of(
                  pgRestore.toString(),
                  "--create",
                  "--schema-only",
                  "--file=-",
                  "--use-list=" + list,
                  file.toString()));
    } catch (IOException e) {
      throw new DbguardException("RestoreFailed", "cannot read database properties: " + e, e);
    } finally {
      Path l = list;
      ArchiveStreams.closeQuietly(() -> Files.deleteIfExists(l));
    }
    String bare = archiveDb;
    String quoted = PgProfiler.quoteIdent(archiveDb);
    String replacement = "DATABASE " + PgProfiler.quoteIdent(newName);
    List<String> out = new ArrayList<>();
    for (String stmt : splitStatements(script)) {
      String s = stmt.strip();
      boolean wanted =
          s.startsWith("COMMENT ON DATABASE ")
              || (s.startsWith("ALTER DATABASE ") && !s.contains(" OWNER TO "))
              || (s.startsWith("ALTER DATABASE ") && superuser)
              || (s.startsWith("ALTER ROLE ") && s.contains(" IN DATABASE "))
              || (s.startsWith("GRANT ") && s.contains(" ON DATABASE "))
              || (s.startsWith("REVOKE ") && s.contains(" ON DATABASE "))
              || s.startsWith("SECURITY LABEL ");
      if (!wanted) {
        continue;
      }
      String r = s.replace("DATABASE " + quoted + " ", replacement + " ");
      if (r.equals(s)) {
        r = s.replace("DATABASE " + bare + " ", replacement + " ");
      }
      if (r.contains(replacement + " ")) {
        out.add(r);
      }
    }
    return out;
  }

  /** Splits SQL text into statements at semicolons outside quotes; drops psql meta-commands. */
  static List<String> splitStatements(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuote = false;
    boolean inIdent = false;
    for (String line : lines) {
      if (!inQuote && !inIdent && (line.startsWith("\\") || line.startsWith("--"))) {
        continue;
      }
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        cur.append(ch);
        if (ch == '\'' && !inIdent) {
          inQuote = !inQuote;
        } else if (ch == '"' && !inQuote) {
          inIdent = !inIdent;
        } else if (ch == ';' && !inQuote && !inIdent) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      }
      cur.append('\n');
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString());
    }
    return out;
  }

  private List<String> runCapture(List<String> cmd) {
    try (ToolProcess p = ToolProcess.start("pg_restore", cmd, null, 10, false)) {
      p.stdin().close();
      String out = new String(p.stdout().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        throw new DbguardException(
            "BackupCorrupt",
            "pg_restore could not read the archive (exit " + rc + "): " + p.stderr());
      }
      return out.lines().toList();
    } catch (IOException e) {
      throw new DbguardException("RestoreFailed", "cannot run pg_restore: " + e.getMessage(), e);
    }
  }

  // ---------------------------------------------------------------- failed copies

  /**
   * The databases swap restores of this database renamed aside, newest first: {@code
   * <db>_failed_<yyyyMMdd_HHmmss>} (UTC) with {@link #freeName}'s optional {@code _N}, the live
   * name shortened exactly as {@code freeName} shortens it to fit 63 bytes, and the stamp a real
   * date and time. Read from {@code pg_database} over a session on the maintenance database.
   *
   * @return database names
   * @throws DbguardException {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseMissing} (the maintenance database), {@code PermissionDenied}, {@code
   *     DatabaseError}
   */
  @Override
  public List<String> failedCopies() {
    try (Connection m = openMaintenance("dbguard-prune")) {
      return FailedCopies.newestFirst(findFailedCopies(m)).stream()
          .map(FailedCopies.Copy::name)
          .toList();
    } catch (SQLException e) {
      throw PgConnections.classify(
          e, target, "cannot list the failed copies of " + target.redacted());
    }
  }

  /**
   * Drops the failed copies beyond the newest {@code keep} (see {@link
   * DatabaseEngine#pruneFailedCopies}) with {@code DROP DATABASE} from the maintenance database,
   * one at a time. It never ends other sessions: a copy someone is connected to (SQLSTATE 55006) or
   * that this role may not drop (42501, only its owner or a superuser may) is left and reported in
   * {@link FailedCopyPruning#problems()}.
   *
   * @throws DbguardException as {@link #failedCopies()}
   */
  @Override
  public FailedCopyPruning pruneFailedCopies(int keep) {
    FailedCopies.requireKeep(keep);
    try (Connection m = openMaintenance("dbguard-prune")) {
      m.setAutoCommit(true);
      return FailedCopies.prune(findFailedCopies(m), keep, name -> dropFailedCopy(m, name));
    } catch (SQLException e) {
      throw PgConnections.classify(
          e, target, "cannot list the failed copies of " + target.redacted());
    }
  }

  private List<FailedCopies.Copy> findFailedCopies(Connection m) throws SQLException {
    String live = target.database();
    List<FailedCopies.Copy> copies = new ArrayList<>();
    try (Statement st = m.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '%\\_failed\\_%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        FailedCopies.Copy copy = failedCopyOf(live, name);
        if (copy != null && !name.equals(live) && !name.equals(options.maintenanceDatabase())) {
          copies.add(copy);
        }
      }
    }
    return copies;
  }

  /**
   * {@code name} as a failed copy of the database {@code live}, or null when {@link #restoreSwap}
   * would never have given a failed copy of {@code live} that name.
   */
  static FailedCopies.Copy failedCopyOf(String live, String name) {
    Matcher mm = FAILED_COPY_NAME.matcher(name);
    if (!mm.matches()
        || !FailedCopies.isStamp(mm.group(3), STAMP)
        || !mm.group(1).equals(fit(live, mm.group(2)))) {
      return null;
    }
    return new FailedCopies.Copy(
        name, mm.group(3), mm.group(4) == null ? 1 : Integer.parseInt(mm.group(4)));
  }

  /** Drops one failed copy; null when it is gone, else why it is still there. */
  private String dropFailedCopy(Connection m, String name) {
    try {
      exec(m, "DROP DATABASE IF EXISTS " + PgProfiler.quoteIdent(name));
      LOG.info("dropped the old failed copy {} of {}", name, target.redacted());
      return null;
    } catch (SQLException e) {
      String why =
          switch (String.valueOf(e.getSQLState())) {
            case "55006" -> "other sessions are connected to it (dbguard does not end them)";
            case "42501" -> "permission denied (only its owner or a superuser may drop it)";
            default -> "DROP DATABASE failed";
          };
      return name
          + ": "
          + why
          + ": "
          + PgConnections.clean(e.getMessage(), target)
          + " [SQLSTATE "
          + e.getSQLState()
          + "]";
    }
  }

  // ---------------------------------------------------------------- manual command

  /**
   * A restore-aside-and-swap command line for a human (run with {@code PGPASSWORD} set or a {@code
   * ~/.pgpass}; no password in it):
   *
   * <pre>
   * createdb … -T template0 db_restore &amp;&amp; pg_restore … -d db_restore --single-transaction
   *   --exit-on-error FILE &amp;&amp; psql … -d postgres -c 'ALTER DATABASE …' -c 'ALTER DATABASE …'
   * </pre>
   */
  @Override
  public String manualRestoreCommand(Path backupFile) {
    String conn =
        "-h "
            + sh(target.host())
            + " -p "
            + target.port()
            + (target.user() == null ? "" : " -U " + sh(target.user()));
    String db = target.database();
    String aside = db + "_restore";
    String failed = db + "_failed";
    return "createdb "
        + conn
        + " -T template0 "
        + sh(aside)
        + " && pg_restore "
        + conn
        + " -d "
        + sh(aside)
        + " --single-transaction --exit-on-error "
        + sh(backupFile.toAbsolutePath().toString())
        + " && psql "
        + conn
        + " -d "
        + sh(options.maintenanceDatabase())
        + " -c "
        + sh(
            "ALTER DATABASE "
                + PgProfiler.quoteIdent(db)
                + " RENAME TO "
                + PgProfiler.quoteIdent(failed))
        + " -c "
        + sh(
            "ALTER DATABASE "
                + PgProfiler.quoteIdent(aside)
                + " RENAME TO "
                + PgProfiler.quoteIdent(db));
  }

  private static String sh(String s) {
    if (s.matches("[A-Za-z0-9_./:@%+=,-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  // ---------------------------------------------------------------- helpers

  private Connection open(DatabaseTarget t, String app) {
    return PgConnections.open(t, options.connectTimeoutSeconds(), app);
  }

  /**
   * A session for server-level work ({@code CREATE}, {@code ALTER}, {@code DROP DATABASE}): on the
   * maintenance database, or on {@code template1} when the target is the maintenance database (a
   * database cannot be renamed or dropped from a session connected to it).
   */
  private Connection openMaintenance(String app) {
    String maintenance = options.maintenanceDatabase();
    return open(
        target.withDatabase(target.database().equals(maintenance) ? "template1" : maintenance),
        app);
  }

  private DataProfile profileOf(DatabaseTarget t) {
    try (Connection c = open(t, "dbguard-verify")) {
      return profileIn(c);
    } catch (SQLException e) {
      throw PgConnections.classify(e, t, "cannot profile " + t.redacted());
    }
  }

  /**
   * Compares a restored profile with the manifest's.
   *
   * @throws DbguardException {@code RestoreNotVerified} listing up to 10 differences
   */
  static void requireEqual(DataProfile expected, DataProfile actual, String where) {
    List<String> diffs = differences(expected, actual);
    if (!diffs.isEmpty()) {
      throw new DbguardException(
          "RestoreNotVerified",
          where
              + " does not match the backup manifest: "
              + String.join("; ", diffs.subList(0, Math.min(10, diffs.size())))
              + (diffs.size() > 10 ? "; … " + (diffs.size() - 10) + " more" : ""));
    }
  }

  /** Human-readable differences between two profiles; empty when equal. */
  static List<String> differences(DataProfile expected, DataProfile actual) {
    List<String> d = new ArrayList<>();
    Set<String> names = new LinkedHashSet<>(expected.tables().keySet());
    names.addAll(actual.tables().keySet());
    for (String t : names) {
      TableProfile e = expected.tables().get(t);
      TableProfile a = actual.tables().get(t);
      if (e == null) {
        d.add("table " + t + " should not exist");
      } else if (a == null) {
        d.add("table " + t + " is missing");
      } else if (!e.equals(a)) {
        if (e.rowCount() != a.rowCount()) {
          d.add("table " + t + " has " + a.rowCount() + " rows, expected " + e.rowCount());
        } else {
          d.add(
              "table "
                  + t
                  + " column non-null counts differ: "
                  + a.nonNullCounts()
                  + " expected "
                  + e.nonNullCounts());
        }
      }
    }
    if (!java.util.Objects.equals(expected.schemaFingerprint(), actual.schemaFingerprint())) {
      d.add(
          "schema fingerprint "
              + actual.schemaFingerprint()
              + " expected "
              + expected.schemaFingerprint());
    }
    if (!java.util.Objects.equals(expected.historyVersion(), actual.historyVersion())) {
      d.add(
          "migration history at "
              + actual.historyVersion()
              + " expected "
              + expected.historyVersion());
    }
    return d;
  }

  /** {@code <base><suffix>} within 63 bytes and not yet used by another database. */
  private static String freeName(Connection m, String base, String suffix) throws SQLException {
    String candidate = fit(base, suffix) + suffix;
    for (int i = 2; exists(m, candidate); i++) {
      String s = suffix + "_" + i;
      candidate = fit(base, s) + s;
    }
    return candidate;
  }

  /** The longest prefix of {@code base} that leaves room for {@code suffix} in 63 bytes. */
  private static String fit(String base, String suffix) {
    String b = base;
    while ((b + suffix).getBytes(StandardCharsets.UTF_8).length > MAX_IDENT_BYTES) {
      b = b.substring(0, b.length() - 1);
    }
    return b;
  }

  private static boolean exists(Connection m, String db) throws SQLException {
    try (PreparedStatement ps = m.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private void dropQuietly(Connection m, String db) {
    try {
      m.setAutoCommit(true);
      exec(m, "DROP DATABASE IF EXISTS " + PgProfiler.quoteIdent(db) + " WITH (FORCE)");
    } catch (SQLException e) {
      LOG.warn(
          "could not drop the scratch database {}: {}",
          db,
          PgConnections.clean(e.getMessage(), target));
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String firstWords(String sql) {
    String[] w = sql.strip().split("\\s+");
    return String.join(" ", java.util.Arrays.asList(w).subList(0, Math.min(3, w.length)));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
