package io.dbguard.cli;

import io.dbguard.core.backup.BackupCatalog;
import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.DatabaseIdentity;
import io.dbguard.core.backup.RetentionPolicy;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.report.StepResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code dbguard backups prune --delete NAME… [--expect NAME…]}: deletes exactly the named backups
 * of one database (the caller — the operator's retention — has already decided which), and checks
 * that the backups the caller still counts on are present. Retention rules are not applied.
 *
 * <p>Everything is checked before anything is deleted; the whole command is refused, deleting
 * nothing, when a named backup
 *
 * <ul>
 *   <li>was taken from another database than {@code DATABASE_URL}'s ({@link
 *       DatabaseIdentity#sameDatabase}): {@code BackupOfOtherDatabase} (exit 4);
 *   <li>is pinned, or is the newest verified backup of the database in the directory (whose file is
 *       present): {@code Blocked} (exit 2);
 *   <li>is named by both {@code --delete} and {@code --expect}: {@code Usage} (exit 4).
 * </ul>
 *
 * A {@code --delete} name not found in the directory is reported as already absent (a repeated
 * prune finds its own earlier work gone), not as an error. Result {@code Pruned} with details
 * {@code deleted} (count), {@code deletedNames} and {@code absent} (comma-separated, as given),
 * {@code missing} ({@code --expect} names whose manifest or file is not there) and {@code damaged}
 * ({@code --expect} names whose file size differs from the manifest or cannot be read); list
 * details only when not empty.
 */
final class ExactPrune {
  private final BackupCatalog catalog;
  private final Map<String, String> live;
  private final Console console;

  /**
   * @param backupDir the backup directory
   * @param live the identity of the database ({@link
   *     io.dbguard.core.engine.DatabaseEngine#identity()})
   */
  ExactPrune(Path backupDir, Map<String, String> live, Console console) {
    this.catalog = new BackupCatalog(backupDir);
    this.live = live;
    this.console = console;
  }

  /**
   * Checks every name, then deletes the {@code delete} backups (file first, then manifest).
   *
   * @param delete backups to delete: backup names, file names or manifest file names
   * @param expect backups that must stay: checked, never deleted
   * @param dryRun report only
   * @throws DbguardException reasons {@code BackupOfOtherDatabase}, {@code Blocked}, {@code Usage}
   * @throws java.io.UncheckedIOException when a file cannot be deleted
   */
  StepResult run(List<String> delete, List<String> expect, boolean dryRun) {
    for (String d : delete) {
      if (expect.contains(d)) {
        throw new DbguardException(
            "Usage", "backup " + d + " is named by both --delete and --expect");
      }
    }
    List<BackupCatalog.Entry> entries = catalog.list();
    Optional<BackupManifest> newestVerified =
        catalog.latestVerified(m -> DatabaseIdentity.sameDatabase(m, live)).map(e -> e.manifest());
    List<BackupManifest> toDelete = new ArrayList<>();
    List<String> deletedNames = new ArrayList<>();
    List<String> absent = new ArrayList<>();
    for (String d : delete) {
      Optional<BackupCatalog.Entry> e = find(entries, d);
      if (e.isEmpty()) {
        absent.add(d);
        console.warn("already absent", d);
        continue;
      }
      BackupManifest m = e.get().manifest();
      DatabaseIdentity.requireSameDatabase(m, live, "delete", false);
      if (m.pinned()) {
        throw new DbguardException(
            "Blocked", "refusing to delete " + m.name() + ": it is pinned; nothing was deleted");
      }
      if (newestVerified.isPresent() && newestVerified.get().name().equals(m.name())) {
        throw new DbguardException(
            "Blocked",
            "refusing to delete "
                + m.name()
                + ": it is the newest verified backup of this database; nothing was deleted");
      }
      toDelete.add(m);
      deletedNames.add(d);
    }
    List<String> missing = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    for (String x : expect) {
      Optional<BackupCatalog.Entry> e = find(entries, x);
      String state = e.map(BackupCatalog.Entry::fileState).orElse("missing");
      if (e.isPresent() && !DatabaseIdentity.sameDatabase(e.get().manifest(), live)) {
        state = "missing";
      }
      switch (state) {
        case "present" -> console.ok("present", x, 0);
        case "missing" -> {
          missing.add(x);
          console.fail("missing", x, 0);
        }
        default -> {
          damaged.add(x);
          console.fail(state, x, 0);
        }
      }
    }
    for (BackupManifest m : toDelete) {
      console.fail(dryRun ? "would delete" : "delete", m.name(), 0);
    }
    if (!dryRun) {
      catalog.apply(
          new RetentionPolicy.Plan(
              toDelete.stream()
                  .map(m -> new RetentionPolicy.Decision(m, false, "named by --delete"))
                  .toList()));
    }
    String msg =
        (dryRun ? "dry run: would delete " : "deleted ")
            + toDelete.size()
            + " named backup(s)"
            + (absent.isEmpty() ? "" : ", " + absent.size() + " already absent")
            + "; checked "
            + expect.size()
            + (missing.isEmpty() ? "" : ", missing: " + String.join(", ", missing))
            + (damaged.isEmpty() ? "" : ", damaged: " + String.join(", ", damaged));
    console.line(msg);
    Map<String, String> details = new LinkedHashMap<>();
    details.put("deleted", Integer.toString(toDelete.size()));
    putList(details, "deletedNames", deletedNames);
    putList(details, "absent", absent);
    putList(details, "missing", missing);
    putList(details, "damaged", damaged);
    return new StepResult(
        "backups-prune", 0, dryRun ? "PruneDryRun" : "Pruned", msg, null, Map.copyOf(details));
  }

  private static void putList(Map<String, String> details, String key, List<String> names) {
    if (!names.isEmpty()) {
      details.put(key, String.join(",", names));
    }
  }

  /** The entry with this backup name, file name or manifest file name. */
  private static Optional<BackupCatalog.Entry> find(List<BackupCatalog.Entry> entries, String n) {
    String base = Path.of(n).getFileName().toString();
    return entries.stream()
        .filter(
            e ->
                e.manifest().name().equals(base)
                    || base.equals(e.manifest().file())
                    || io.dbguard.core.backup.BackupNaming.manifestFileName(e.manifest().name())
                        .equals(base))
        .findFirst();
  }
}
