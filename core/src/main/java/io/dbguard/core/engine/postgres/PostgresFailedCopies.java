package io.dbguard.core.engine.postgres;

import static io.dbguard.core.engine.postgres.PgContext.exec;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.FailedCopyPruning;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The failed copies ({@code <db>_failed_<stamp>} databases) swap restores keep: listing and
 * retention. Part of {@link PostgresEngine}; see {@link PostgresEngine#failedCopies}.
 */
final class PostgresFailedCopies {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  PostgresFailedCopies(PgContext ctx) {
    this.ctx = ctx;
    this.target = ctx.target();
    this.options = ctx.options();
    this.tools = ctx.tools();
  }

  private Connection open(DatabaseTarget t, String app) {
    return ctx.open(t, app);
  }

  private Connection openMaintenance(String app) {
    return ctx.openMaintenance(app);
  }

  /**
   * A failed copy's name as {@link PostgresSwapRestore} makes it: the live name (shortened and
   * tagged with its hash by {@link PgNames#derived} when too long), then {@code _failed_<stamp>}
   * and {@link PgNames#freeName}'s optional {@code _N} (N &ge; 2).
   */
  private static final Pattern FAILED_COPY_NAME =
      Pattern.compile("(.*)(_failed_(\\d{8}_\\d{6})(?:_([2-9]|[1-9]\\d{1,8}))?)", Pattern.DOTALL);

  // ---------------------------------------------------------------- failed copies

  /**
   * The databases swap restores of this database renamed aside, newest first: {@code
   * <db>_failed_<yyyyMMdd_HHmmss>} (UTC) with {@link PgNames#freeName}'s optional {@code _N},
   * exactly as {@link PgNames#derived} derives it from this database's full name (so a database
   * whose name shares its first bytes never sees these copies), and the stamp a real date and time.
   * Read from {@code pg_database} over a session on the maintenance database.
   *
   * @return database names
   * @throws DbguardException {@code ConnectionFailed}, {@code AuthenticationFailed}, {@code
   *     DatabaseMissing} (the maintenance database), {@code PermissionDenied}, {@code
   *     DatabaseError}
   */
  List<String> failedCopies() {
    try (Connection m = openMaintenance("dbguard-prune")) {
      return FailedCopies.newestFirst(findFailedCopies(m)).stream()
          .map(FailedCopies.Copy::name)
          .toList();
    } catch (SQLException e) {
      throw PgConnections.classify(
          e, target, "cannot list the failed copies of " + target.redacted());
    }
  }

  /**
   * Drops the failed copies beyond the newest {@code keep} (see {@link
   * DatabaseEngine#pruneFailedCopies}) with {@code DROP DATABASE} from the maintenance database,
   * one at a time. It never ends other sessions: a copy someone is connected to (SQLSTATE 55006) or
   * that this role may not drop (42501, only its owner or a superuser may) is left and reported in
   * {@link FailedCopyPruning#problems()}.
   *
   * @throws DbguardException as {@link #failedCopies()}
   */
  FailedCopyPruning pruneFailedCopies(int keep) {
    FailedCopies.requireKeep(keep);
    try (Connection m = openMaintenance("dbguard-prune")) {
      m.setAutoCommit(true);
      return FailedCopies.prune(findFailedCopies(m), keep, name -> dropFailedCopy(m, name));
    } catch (SQLException e) {
      throw PgConnections.classify(
          e, target, "cannot list the failed copies of " + target.redacted());
    }
  }

  private List<FailedCopies.Copy> findFailedCopies(Connection m) throws SQLException {
    String live = target.database();
    List<FailedCopies.Copy> copies = new ArrayList<>();
    try (Statement st = m.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT datname FROM pg_database WHERE datname LIKE '%\\_failed\\_%'")) {
      while (rs.next()) {
        String name = rs.getString(1);
        FailedCopies.Copy copy = failedCopyOf(live, name);
        if (copy != null && !name.equals(live) && !name.equals(options.maintenanceDatabase())) {
          copies.add(copy);
        }
      }
    }
    return copies;
  }

  /**
   * {@code name} as a failed copy of the database {@code live}, or null when {@link
   * PostgresSwapRestore} would never have given a failed copy of {@code live} that name (the name
   * is recomputed from {@code live}'s full name and compared whole; see {@link PgNames#isDerived}).
   * Names the versions before the hash gave long-named databases' copies (a bare 40-byte prefix)
   * are not recognised: they cannot say which database they belong to.
   */
  static FailedCopies.Copy failedCopyOf(String live, String name) {
    Matcher mm = FAILED_COPY_NAME.matcher(name);
    if (!mm.matches()
        || !FailedCopies.isStamp(mm.group(3), PgNames.STAMP)
        || !PgNames.isDerived(name, live, mm.group(2))) {
      return null;
    }
    return new FailedCopies.Copy(
        name, mm.group(3), mm.group(4) == null ? 1 : Integer.parseInt(mm.group(4)));
  }

  /** Drops one failed copy; null when it is gone, else why it is still there. */
  private String dropFailedCopy(Connection m, String name) {
    try {
      exec(m, "DROP DATABASE IF EXISTS " + PgProfiler.quoteIdent(name));
      LOG.info("dropped the old failed copy {} of {}", name, target.redacted());
      return null;
    } catch (SQLException e) {
      String why =
          switch (String.valueOf(e.getSQLState())) {
            case "55006" -> "other sessions are connected to it (dbguard does not end them)";
            case "42501" -> "permission denied (only its owner or a superuser may drop it)";
            default -> "DROP DATABASE failed";
          };
      return name
          + ": "
          + why
          + ": "
          + PgConnections.clean(e.getMessage(), target)
          + " [SQLSTATE "
          + e.getSQLState()
          + "]";
    }
  }
}
