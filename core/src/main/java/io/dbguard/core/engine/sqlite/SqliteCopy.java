package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.describe;
import static io.dbguard.core.engine.sqlite.SqliteFiles.open;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.checkIntegrity;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;

/**
 * A SQLite database file on a copy of the database volume (a claim provisioned from a
 * VolumeSnapshot): the reference a restore or a data check compares with when there is no dump
 * manifest. The copy belongs to dbguard (a temporary claim nobody else writes), so it is opened
 * read-write once to fold a {@code -wal} left by the snapshot into the main file ({@code PRAGMA
 * wal_checkpoint(TRUNCATE)}), then checked with {@code PRAGMA integrity_check} and profiled (row
 * counts, non-null counts, schema fingerprint, history version) and hashed (SHA-256), as a backup
 * is.
 */
public final class SqliteCopy {
  private SqliteCopy() {}

  /**
   * What the copy holds.
   *
   * @param file the copy's database file
   * @param sizeBytes its size in bytes after the checkpoint
   * @param sha256 lowercase hex SHA-256 of the file after the checkpoint
   * @param profile its data profile
   */
  public record Content(Path file, long sizeBytes, String sha256, DataProfile profile) {

    /**
     * A manifest describing the copy, for the restore machinery of {@link SqliteEngine} (which
     * re-checks size, SHA-256 and integrity, restores with the backup API and compares the
     * profile).
     */
    BackupManifest asManifest() {
      Instant now = Instant.now();
      return new BackupManifest(
          BackupManifest.FORMAT_VERSION,
          "copy " + file,
          file.getFileName().toString(),
          "SQLite",
          null,
          Map.of("sqlite-jdbc", SqliteFiles.driverVersion()),
          Map.of("file", file.toString()),
          null,
          now,
          now,
          now,
          sizeBytes,
          sha256,
          "none",
          profile,
          null,
          false);
    }
  }

  /**
   * The first difference between what the live database holds and what the copy holds (tables, row
   * and non-null counts, schema fingerprint, migration history), or null when they are equal. Used
   * to check a snapshot taken while the writers were fenced: the live database has not changed
   * since, so the copy must hold exactly the same.
   *
   * @param live the live database's profile ({@link SqliteEngine#profile()})
   */
  public static String differenceFrom(Content copy, DataProfile live) {
    String d = SqliteProfiler.compare(live, copy.profile());
    return d == null ? null : d.replace("the backup", "the live database");
  }

  /**
   * Checkpoints, checks and profiles the copy.
   *
   * @param copy the database file on the copy volume
   * @throws DbguardException reason {@code BackupCorrupt} when the file is missing, not a SQLite
   *     database or fails {@code integrity_check}
   */
  public static Content read(Path copy, ProgressListener progress) {
    return read(copy, progress, false);
  }

  /**
   * As {@link #read(Path, ProgressListener)}; with {@code contentChecksums} the copy's profile also
   * carries per-column content checksums.
   *
   * @throws DbguardException as {@link #read(Path, ProgressListener)}
   */
  public static Content read(Path copy, ProgressListener progress, boolean contentChecksums) {
    if (!Files.isRegularFile(copy)) {
      throw new DbguardException(
          "BackupCorrupt",
          "the snapshot copy has no database file "
              + copy
              + " (was database.volume.path right when the snapshot was taken?)");
    }
    DataProfile profile;
    try (Connection c = open(copy, false)) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      checkIntegrity(c, copy);
      profile = SqliteProfiler.profile(c, contentChecksums);
    } catch (SQLException e) {
      throw new DbguardException(
          "BackupCorrupt",
          "the snapshot copy " + copy + " is not a readable SQLite database: " + describe(e),
          e);
    }
    try {
      long size = Files.size(copy);
      String sha = Sha256.ofFile(copy, "verify", progress);
      return new Content(copy, size, sha, profile);
    } catch (IOException e) {
      throw new DbguardException(
          "BackupCorrupt", "cannot read the snapshot copy " + copy + ": " + describe(e), e);
    }
  }
}
