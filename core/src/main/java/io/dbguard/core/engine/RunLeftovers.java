package io.dbguard.core.engine;

import io.dbguard.core.backup.BackupLeftovers;
import io.dbguard.core.engine.postgres.PgRestoreLeftovers;
import io.dbguard.core.engine.postgres.PostgresOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What an interrupted ({@code kill -9}) dbguard run of one database leaves, removed by the next run
 * of that database once it holds the database's {@link RunLock}: the hidden in-progress backup
 * files in the backup directory ({@link BackupLeftovers}) and, for PostgreSQL, the restore-aside
 * databases of a swap restore ({@link PgRestoreLeftovers}). Other databases' leftovers are never
 * touched.
 */
public final class RunLeftovers {
  private RunLeftovers() {}

  /**
   * What was removed and what was left.
   *
   * @param removed absolute file paths and database names removed
   * @param problems one line per leftover that stays, saying why (no secrets)
   */
  public record Cleanup(List<String> removed, List<String> problems) {
    /** Whether there was nothing to report. */
    public boolean isEmpty() {
      return removed.isEmpty() && problems.isEmpty();
    }
  }

  /**
   * Removes {@code target}'s own leftovers. Never throws for a leftover it cannot remove or list:
   * that is reported in {@link Cleanup#problems()} and the run goes on.
   *
   * @param backupDir the backup directory of this run, or null when it has none
   * @param heldLock {@code target}'s run lock, held by the caller
   */
  public static Cleanup removeOwn(
      DatabaseTarget target, PostgresOptions postgres, Path backupDir, RunLock heldLock) {
    List<String> removed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    BackupLeftovers.Removal files = BackupLeftovers.removeOwn(backupDir, target, heldLock);
    files.removed().forEach(p -> removed.add(p.toString()));
    problems.addAll(files.problems());
    if (target.kind() == EngineKind.POSTGRESQL) {
      try {
        PgRestoreLeftovers.Removal dbs =
            new PgRestoreLeftovers(target, postgres).removeOwn(heldLock);
        dbs.dropped().forEach(d -> removed.add("database " + d));
        problems.addAll(dbs.problems());
      } catch (DbguardException e) {
        problems.add("cannot look for restore-aside databases: " + e.getMessage());
      }
    }
    return new Cleanup(removed, problems);
  }
}
