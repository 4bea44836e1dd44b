package io.dbguard.cli;

import io.dbguard.core.backup.BackupCatalog;
import io.dbguard.core.backup.BackupDirectory;
import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.report.StepResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/** Small helpers shared by the commands. */
final class Cli {
  private Cli() {}

  /** The StepResult reference to a backup. */
  static StepResult.BackupRef ref(BackupManifest m, Path file) {
    return new StepResult.BackupRef(
        m.name(),
        file.toString(),
        m.sizeBytes(),
        m.sha256(),
        m.verifiedAt() == null ? null : m.verifiedAt().toString());
  }

  /** Logical database name for backup names: the PostgreSQL database, or the SQLite file stem. */
  static String defaultDatabaseName(DatabaseTarget t) {
    if (t.kind() == EngineKind.SQLITE) {
      String n = t.sqliteFile().getFileName().toString();
      int dot = n.indexOf('.');
      return dot > 0 ? n.substring(0, dot) : n;
    }
    return t.database();
  }

  /** A located backup: its manifest and file. */
  record Located(BackupManifest manifest, Path file, Path manifestFile) {}

  /**
   * Finds the backup to use: {@code --manifest PATH}, or {@code --backup-dir DIR} with {@code
   * --backup NAME}, or the newest verified backup in {@code DIR} that {@code belongs} accepts
   * ({@code null}: any).
   *
   * @throws DbguardException reason {@code Usage}, {@code ManifestUnreadable} or {@code
   *     BackupNotFound}
   */
  static Located locate(
      Path manifest,
      Path backupDir,
      String backupName,
      java.util.function.Predicate<BackupManifest> belongs) {
    if (manifest != null) {
      if (!Files.isRegularFile(manifest)) {
        throw new DbguardException(
            "ManifestUnreadable", "manifest " + manifest + " does not exist");
      }
      BackupManifest m = ManifestStore.read(manifest);
      Path dir = manifest.toAbsolutePath().getParent();
      return new Located(m, ManifestStore.backupFile(dir, m), manifest);
    }
    if (backupDir == null) {
      throw new DbguardException("Usage", "give --manifest PATH or --backup-dir DIR");
    }
    BackupDirectory.requireReadable(backupDir);
    BackupCatalog catalog = new BackupCatalog(backupDir);
    BackupCatalog.Entry e =
        backupName != null
            ? catalog.find(backupName)
            : catalog
                .latestVerified(belongs == null ? m -> true : belongs)
                .orElseThrow(
                    () ->
                        new DbguardException(
                            "BackupNotFound",
                            "no verified backup"
                                + (belongs == null ? "" : " of this database")
                                + " in "
                                + backupDir));
    return new Located(
        e.manifest(), e.file(), ManifestStore.manifestPath(backupDir, e.manifest().name()));
  }

  /**
   * Refuses a backup whose dump file is gone while its manifest is still there (deleted by hand, or
   * by something other than dbguard), before anything is locked, read or restored: the operator
   * marks the backup's DatabaseBackup record {@code Missing} on this reason.
   *
   * @throws DbguardException reason {@code BackupNotFound} (exit 4) naming the file and backup
   */
  static void requireFile(Located l) {
    if (!Files.isRegularFile(l.file())) {
      throw new DbguardException(
          "BackupNotFound",
          "backup file "
              + l.file().getFileName()
              + " of backup "
              + l.manifest().name()
              + " is missing from "
              + l.file().toAbsolutePath().getParent()
              + " (its manifest is there)");
    }
  }

  /**
   * The database a manifest describes, when no URL is given: only possible for SQLite (its path is
   * recorded); PostgreSQL manifests never hold credentials.
   */
  static DatabaseTarget targetFor(CommonOptions common, BackupManifest m) {
    if (common.hasDatabase()) {
      return common.target();
    }
    if (EngineKind.SQLITE.displayName().equals(m.engine()) && m.database().get("path") != null) {
      return DatabaseTarget.sqlite(Path.of(m.database().get("path")));
    }
    return common.target();
  }

  /** Splits repeated and comma-separated acknowledgements. */
  static Set<String> acknowledgements(java.util.List<String> raw) {
    Set<String> out = new TreeSet<>();
    if (raw != null) {
      for (String r : raw) {
        for (String p : r.split(",")) {
          if (!p.isBlank()) {
            out.add(p.trim());
          }
        }
      }
    }
    return out;
  }

  /**
   * Parses {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s} or ISO-8601 ({@code P30D}, {@code
   * PT12H}).
   *
   * @throws DbguardException reason {@code Usage}
   */
  static Duration duration(String s) {
    String t = s.trim().toLowerCase(Locale.ROOT);
    try {
      if (t.matches("\\d+[dhms]")) {
        long n = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
          case 'd' -> Duration.ofDays(n);
          case 'h' -> Duration.ofHours(n);
          case 'm' -> Duration.ofMinutes(n);
          default -> Duration.ofSeconds(n);
        };
      }
      return t.startsWith("p") && t.contains("d") && !t.contains("t")
          ? Duration.ofDays(Long.parseLong(t.substring(1, t.indexOf('d'))))
          : Duration.parse(s.trim().toUpperCase(Locale.ROOT));
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new DbguardException(
          "Usage", "cannot parse duration '" + s + "' (use e.g. 30d, 12h, 90m, PT12H)");
    }
  }
}
