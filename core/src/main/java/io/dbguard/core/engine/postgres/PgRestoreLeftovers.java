package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.exec;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.RunLock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The restore-aside databases ({@code <db>_restore_<stamp>[_N]}, see {@link PostgresSwapRestore})
 * that a swap restore interrupted by {@code kill -9} leaves on the server: a completed or failed
 * restore always drops or renames its own, so any that exist belong to a run that died.
 */
public final class PgRestoreLeftovers {
  /** The name {@link PostgresSwapRestore} gives: derived name, stamp, optional counter. */
  private static final Pattern ASIDE =
      Pattern.compile("(.*)(_restore_(\\d{8}_\\d{6})(?:_([2-9]|[1-9]\\d{1,8}))?)", Pattern.DOTALL);

  private final PgContext ctx;

  /** Leftovers of the database {@code target} names, reached with {@code options}. */
  public PgRestoreLeftovers(DatabaseTarget target, PostgresOptions options) {
    this.ctx = new PgContext(target, options);
  }

  /** What {@link #removeOwn} did: databases dropped, and one line for each that could not be. */
  public record Removal(List<String> dropped, List<String> problems) {}

  /**
   * Whether {@code name} is a restore-aside database of the database named exactly {@code live}:
   * the name is recomputed with {@link PgNames#derived} from {@code live}'s full name and compared
   * whole (never by prefix), and the stamp is a real UTC date and time.
   */
  static boolean isAsideOf(String live, String name) {
    Matcher m = ASIDE.matcher(name);
    return m.matches()
        && !name.equals(live)
        && FailedCopies.isStamp(m.group(3), PgNames.STAMP)
        && PgNames.isDerived(name, live, m.group(2));
  }

  /**
   * This database's restore-aside databases, by name, read from {@code pg_database} over a session
   * on the maintenance database.
   *
   * @throws DbguardException a connection reason ({@code ConnectionFailed}, …) or {@code
   *     DatabaseError}
   */
  public List<String> list() {
    try (Connection m = ctx.openMaintenance("dbguard-leftovers")) {
      return find(m);
    } catch (SQLException e) {
      throw PgConnections.classify(
          e, ctx.target(), "cannot list the leftovers of " + ctx.target().redacted());
    }
  }

  /**
   * Drops this database's restore-aside databases with {@code DROP DATABASE} (never {@code WITH
   * (FORCE)}: a database someone is connected to, e.g. by a {@code pg_restore} the killed run left
   * running, stays and is reported, and the next run tries again).
   *
   * @param heldLock the run lock of this database the caller holds: while it is held no restore of
   *     this database runs, so every such database is a leftover
   * @throws DbguardException as {@link #list()}
   */
  public Removal removeOwn(RunLock heldLock) {
    Objects.requireNonNull(heldLock, "only the holder of the run lock may remove leftovers");
    List<String> dropped = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    try (Connection m = ctx.openMaintenance("dbguard-leftovers")) {
      m.setAutoCommit(true);
      for (String name : find(m)) {
        try {
          exec(m, "DROP DATABASE IF EXISTS " + PgProfiler.quoteIdent(name));
          dropped.add(name);
        } catch (SQLException e) {
          problems.add(
              name
                  + ": DROP DATABASE failed: "
                  + PgConnections.clean(e.getMessage(), ctx.target())
                  + " [SQLSTATE "
                  + e.getSQLState()
                  + "]");
        }
      }
    } catch (SQLException e) {
      throw PgConnections.classify(
          e, ctx.target(), "cannot list the leftovers of " + ctx.target().redacted());
    }
    return new Removal(dropped, problems);
  }

  private List<String> find(Connection m) throws SQLException {
    String live = ctx.target().database();
    List<String> out = new ArrayList<>();
    try (Statement st = m.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '%\\_restore\\_%'"
                    + " ORDER BY datname")) {
      while (rs.next()) {
        String name = rs.getString(1);
        if (isAsideOf(live, name)) {
          out.add(name);
        }
      }
    }
    return out;
  }
}
