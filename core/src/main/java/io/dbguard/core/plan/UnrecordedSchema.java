package io.dbguard.core.plan;

import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;

/**
 * The plan's check for a database that already holds tables but has no Flyway history: Flyway then
 * either refuses to migrate the non-empty schema or the first pending migration collides with what
 * exists, and {@code run} ends {@code SchemaConflict} or {@code MigrationFailed} (Flyway's
 * "baseline", https://documentation.red-gate.com/fd/migrations-271585107.html). Read in a read-only
 * session; a SQLite file that does not exist has nothing to check.
 */
final class UnrecordedSchema {
  private UnrecordedSchema() {}

  /**
   * A {@code warn} notice (topic {@code history}) when the database's default schema (PostgreSQL:
   * {@code current_schema()}; SQLite: the file) has tables but no {@code flyway_schema_history};
   * empty otherwise.
   *
   * @param pending the pending migration ids, first first (the baseline advice names the last)
   * @throws DbguardException {@code PlanFailed} when the catalogs cannot be read
   */
  static Optional<PlanNotice> check(DatabaseTarget target, List<String> pending) {
    try (Connection c = ReadOnlySession.open(target)) {
      if (c == null) {
        return Optional.empty();
      }
      boolean sqlite = target.kind() == EngineKind.SQLITE;
      boolean history =
          count(
                  c,
                  sqlite
                      ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name ="
                          + " 'flyway_schema_history'"
                      : "SELECT count(*) FROM information_schema.tables WHERE table_schema ="
                          + " current_schema() AND table_name = 'flyway_schema_history'")
              > 0;
      long tables =
          count(
              c,
              sqlite
                  ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                      + " 'sqlite\\_%' ESCAPE '\\'"
                  : "SELECT count(*) FROM information_schema.tables WHERE table_schema ="
                      + " current_schema() AND table_type = 'BASE TABLE'");
      if (history || tables == 0) {
        return Optional.empty();
      }
      String last = pending.isEmpty() ? "<version>" : pending.get(pending.size() - 1);
      return Optional.of(
          new PlanNotice(
              Verdict.WARN,
              "history",
              "the database already has "
                  + tables
                  + " table(s) but no flyway_schema_history: Flyway will refuse the non-empty"
                  + " schema or the first pending migration will collide with what exists, so"
                  + " `run` would end SchemaConflict or MigrationFailed after its backup. If the"
                  + " database already has everything up to a version, record that with"
                  + " --baseline-version (e.g. "
                  + last.replaceFirst("^V", "")
                  + " when it is all there); otherwise check that this is the right database"));
    } catch (SQLException e) {
      throw new DbguardException(
          "PlanFailed",
          "cannot read the database's tables: "
              + DatabaseTarget.redact(String.valueOf(e.getMessage())),
          e);
    }
  }

  private static long count(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
