package io.dbguard.core.backup;

import io.dbguard.core.engine.DbguardException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The backups in one backup directory, read from their manifests. Ordered newest first by recorded
 * {@code completedAt} (UTC). Used by {@code dbguard backups list|prune} and to find the backup to
 * restore from.
 */
public final class BackupCatalog {
  private final Path directory;

  /** A catalog of {@code directory} (which may not exist yet: then it is empty). */
  public BackupCatalog(Path directory) {
    this.directory = directory;
  }

  /** The directory. */
  public Path directory() {
    return directory;
  }

  /**
   * One backup and the state of its file.
   *
   * @param manifest the manifest
   * @param file the backup file path
   * @param fileState {@code present} (size equals the manifest), {@code missing}, or {@code
   *     size-mismatch}
   */
  public record Entry(BackupManifest manifest, Path file, String fileState) {}

  /** All readable manifests, newest first. */
  public List<Entry> list() {
    List<BackupManifest> ms = new ArrayList<>(ManifestStore.list(directory));
    ms.sort(RetentionPolicy.NEWEST_FIRST);
    List<Entry> out = new ArrayList<>();
    for (BackupManifest m : ms) {
      Path f = ManifestStore.backupFile(directory, m);
      String state;
      try {
        state =
            !Files.exists(f)
                ? "missing"
                : Files.size(f) == m.sizeBytes() ? "present" : "size-mismatch";
      } catch (IOException e) {
        state = "unreadable";
      }
      out.add(new Entry(m, f, state));
    }
    return out;
  }

  /** The newest verified backup whose file is present, if any, whatever database it is of. */
  public Optional<Entry> latestVerified() {
    return latestVerified(m -> true);
  }

  /**
   * The newest verified backup whose file is present and whose manifest {@code belongs} accepts
   * (e.g. {@link DatabaseIdentity#sameDatabase} with the live database's identity), if any.
   */
  public Optional<Entry> latestVerified(java.util.function.Predicate<BackupManifest> belongs) {
    return list().stream()
        .filter(e -> e.manifest().verified() && "present".equals(e.fileState()))
        .filter(e -> belongs.test(e.manifest()))
        .findFirst();
  }

  /**
   * Finds a backup by name ({@code shop_production_20261122_101500}), by file name or by manifest
   * file name.
   *
   * @throws DbguardException reason {@code BackupNotFound}
   */
  public Entry find(String nameOrFile) {
    String n = Path.of(nameOrFile).getFileName().toString();
    for (Entry e : list()) {
      if (e.manifest().name().equals(n)
          || e.manifest().file().equals(n)
          || BackupNaming.manifestFileName(e.manifest().name()).equals(n)) {
        return e;
      }
    }
    throw new DbguardException(
        "BackupNotFound", "no backup named " + nameOrFile + " in " + directory);
  }

  /**
   * Plans retention over this directory's backups (nothing is deleted), separately for each
   * database ({@link DatabaseIdentity#groupKey}): {@code keepLast} newest backups are kept <em>per
   * database</em>, so one database's backups never push out another's.
   */
  public RetentionPolicy.Plan plan(RetentionPolicy policy, Instant now) {
    return plan(policy, now, m -> true);
  }

  /**
   * Plans retention over the backups {@code belongs} accepts (the others are neither kept nor
   * deleted: they are not in the plan), per database as {@link #plan(RetentionPolicy, Instant)}.
   */
  public RetentionPolicy.Plan plan(
      RetentionPolicy policy, Instant now, java.util.function.Predicate<BackupManifest> belongs) {
    java.util.Map<String, List<BackupManifest>> groups = new java.util.TreeMap<>();
    for (Entry e : list()) {
      if (belongs.test(e.manifest())) {
        groups
            .computeIfAbsent(DatabaseIdentity.groupKey(e.manifest()), k -> new ArrayList<>())
            .add(e.manifest());
      }
    }
    List<RetentionPolicy.Decision> decisions = new ArrayList<>();
    for (List<BackupManifest> group : groups.values()) {
      decisions.addAll(policy.plan(group, now).decisions());
    }
    return new RetentionPolicy.Plan(decisions);
  }

  /**
   * Deletes the backups a plan marks for deletion: the backup file first, then its manifest (so a
   * crash in between leaves a manifest reported as {@code missing}, never an unlisted file).
   *
   * @return the names deleted
   * @throws UncheckedIOException when a file cannot be deleted
   */
  public List<String> apply(RetentionPolicy.Plan plan) {
    List<String> deleted = new ArrayList<>();
    for (BackupManifest m : plan.toDelete()) {
      if (m.pinned()) {
        throw new IllegalStateException("refusing to delete pinned backup " + m.name());
      }
      try {
        Files.deleteIfExists(ManifestStore.backupFile(directory, m));
        Files.deleteIfExists(ManifestStore.manifestPath(directory, m.name()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete backup " + m.name() + ": " + e, e);
      }
      deleted.add(m.name());
    }
    return deleted;
  }
}
