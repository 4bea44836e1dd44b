package io.dbguard.operator.plan;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionStatus;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a succeeded prune Job's result says about each record of the recorded plan. Pure.
 *
 * <p>The result is {@code dbguard backups prune --delete/--expect}'s (docs/cli.md): {@code
 * details.deleted} (count, always present), {@code deletedNames}, {@code absent}, {@code missing},
 * {@code damaged} (comma-separated names or paths, compared by file name). A pruned item that was
 * deleted or already absent becomes {@code Pruned}; a checked item {@code Missing}, {@code Failed}
 * (damaged) or {@code Ready}. Without a readable result (no termination message, or one without
 * {@code details.deleted}) nothing is known and no record changes.
 */
public final class RetentionOutcome {
  private RetentionOutcome() {}

  /**
   * A record's new state and why.
   *
   * @param state the new state
   * @param message why, or null for {@code Ready}
   */
  public record Change(BackupState state, String message) {}

  /** The new state of each record (by DatabaseBackup name); empty when the result is unreadable. */
  public static Map<String, Change> of(RetentionStatus r, StepResult result) {
    Map<String, Change> out = new LinkedHashMap<>();
    if (result == null || result.details() == null || !result.details().containsKey("deleted")) {
      return out;
    }
    Map<String, String> d = result.details();
    Set<String> gone = names(d.get("deletedNames"));
    gone.addAll(names(d.get("absent")));
    Set<String> missing = names(d.get("missing"));
    Set<String> damaged = names(d.get("damaged"));
    for (RetentionItem i : nullSafe(r.getPrune())) {
      if (gone.contains(fileName(i.getFile()))) {
        out.put(
            i.getDatabaseBackup(),
            new Change(BackupState.Pruned, "deleted by retention (Job " + r.getJob() + ")"));
      }
    }
    for (RetentionItem i : nullSafe(r.getCheck())) {
      String f = fileName(i.getFile());
      Change c;
      if (missing.contains(f)) {
        c =
            new Change(
                BackupState.Missing, "file or manifest " + f + " not found on the backup volume");
      } else if (damaged.contains(f)) {
        c =
            new Change(
                BackupState.Failed,
                "file " + f + " differs from its manifest (size) or unreadable");
      } else {
        c = new Change(BackupState.Ready, null);
      }
      out.put(i.getDatabaseBackup(), c);
    }
    return out;
  }

  /**
   * The file name of a recorded path ({@code /var/lib/dbguard/backups/x.dump} → {@code x.dump}).
   */
  public static String fileName(String path) {
    return path == null ? null : Path.of(path).getFileName().toString();
  }

  private static Set<String> names(String csv) {
    return csv == null || csv.isBlank()
        ? new HashSet<>()
        : Arrays.stream(csv.split(","))
            .map(RetentionOutcome::fileName)
            .collect(Collectors.toCollection(HashSet::new));
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }
}
