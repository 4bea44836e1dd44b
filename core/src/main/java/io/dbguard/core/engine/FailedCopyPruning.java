package io.dbguard.core.engine;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link DatabaseEngine#pruneFailedCopies(int)} did. Names are as {@link
 * RestoreResult#keptFailedAs()} gives them: absolute file paths for SQLite, database names for
 * PostgreSQL.
 *
 * @param removed the failed copies deleted, newest first
 * @param kept the failed copies left in place on purpose (the newest {@code keep}), newest first
 * @param problems one line per failed copy that should have been deleted but is still there, naming
 *     it and why (e.g. sessions connected, permission denied); no secrets
 */
public record FailedCopyPruning(List<String> removed, List<String> kept, List<String> problems) {
  /** Immutable copies of the lists. */
  public FailedCopyPruning {
    removed = List.copyOf(removed);
    kept = List.copyOf(kept);
    problems = List.copyOf(problems);
  }

  /**
   * One line for a step log, e.g. {@code kept 1 failed copy (c); removed 2 older (a, b)}; {@code
   * null} when there were no failed copies at all.
   */
  public String summary() {
    if (removed.isEmpty() && kept.isEmpty() && problems.isEmpty()) {
      return null;
    }
    StringBuilder s =
        new StringBuilder("kept ")
            .append(kept.size())
            .append(kept.size() == 1 ? " failed copy" : " failed copies");
    if (!kept.isEmpty()) {
      s.append(" (").append(String.join(", ", kept)).append(')');
    }
    if (!removed.isEmpty()) {
      s.append("; removed ")
          .append(removed.size())
          .append(" older (")
          .append(String.join(", ", removed))
          .append(')');
    }
    if (!problems.isEmpty()) {
      s.append("; could not remove ")
          .append(problems.size())
          .append(": ")
          .append(String.join("; ", problems));
    }
    return s.toString();
  }

  /**
   * The facts for a step result's {@code details}: {@code failedCopiesRemoved}, {@code
   * failedCopiesKept} and {@code failedCopiesProblems}, each present only when its list is not
   * empty (names joined with {@code ", "}, problems with {@code "; "}).
   */
  public Map<String, String> details() {
    Map<String, String> d = new LinkedHashMap<>();
    if (!removed.isEmpty()) {
      d.put("failedCopiesRemoved", String.join(", ", removed));
    }
    if (!kept.isEmpty()) {
      d.put("failedCopiesKept", String.join(", ", kept));
    }
    if (!problems.isEmpty()) {
      d.put("failedCopiesProblems", String.join("; ", problems));
    }
    return d;
  }
}
