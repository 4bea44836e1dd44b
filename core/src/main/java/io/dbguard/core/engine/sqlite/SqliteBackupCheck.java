package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.describe;
import static io.dbguard.core.engine.sqlite.SqliteFiles.openImmutable;
import static io.dbguard.core.engine.sqlite.SqliteProfiler.checkIntegrity;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checks a SQLite backup file against its manifest: size, SHA-256 and {@code PRAGMA
 * integrity_check}. Part of {@link SqliteEngine}; see {@link SqliteEngine#verify}.
 */
final class SqliteBackupCheck {
  private SqliteBackupCheck() {}

  // ---------------------------------------------------------------- verify

  /**
   * Size, SHA-256 and {@code integrity_check} of a backup file against its manifest.
   *
   * @throws DbguardException reason {@code BackupCorrupt} on any difference or read error
   */
  static void verify(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    requireSize(backupFile, manifest);
    verifyContent(backupFile, manifest, progress);
  }

  /**
   * The cheap part of {@link #verify}: the file exists and has the manifest's size (a truncated or
   * replaced file is refused without reading it).
   *
   * @throws DbguardException reason {@code BackupCorrupt}
   */
  static void requireSize(Path backupFile, BackupManifest manifest) {
    if (!Files.isRegularFile(backupFile)) {
      throw new DbguardException("BackupCorrupt", "backup file " + backupFile + " is missing");
    }
    long size;
    try {
      size = Files.size(backupFile);
    } catch (IOException e) {
      throw new DbguardException(
          "BackupCorrupt", "cannot read backup file " + backupFile + ": " + describe(e), e);
    }
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
  }

  /**
   * The full read of {@link #verify}: {@link #requireHash}, then {@link #requireIntact}.
   *
   * @throws DbguardException reason {@code BackupCorrupt}
   */
  static void verifyContent(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    requireHash(backupFile, manifest, progress);
    requireIntact(backupFile);
  }

  /**
   * The SHA-256 of the whole file equals the manifest's. Reads only the backup file.
   *
   * @throws DbguardException reason {@code BackupCorrupt}
   */
  static void requireHash(Path backupFile, BackupManifest manifest, ProgressListener progress) {
    try {
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
  }

  /**
   * {@code PRAGMA integrity_check} on a read-only, immutable, memory-mapped connection answers
   * {@code ok}. Reads only the backup file.
   *
   * @throws DbguardException reason {@code BackupCorrupt}
   */
  static void requireIntact(Path backupFile) {
    try (Connection c = openImmutable(backupFile)) {
      checkIntegrity(c, backupFile);
    } catch (SQLException e) {
      throw new DbguardException(
          "BackupCorrupt",
          "backup file " + backupFile + " is not a readable SQLite database: " + e.getMessage(),
          e);
    }
  }
}
