package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.WriteFence;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The PostgreSQL {@code ReadOnly} write fence: for the migration window the database refuses writes
 * from every role except the one dbguard migrates as, while the application keeps reading.
 *
 * <p>Raise, in one transaction: {@code ALTER ROLE CURRENT_USER IN DATABASE db SET
 * default_transaction_read_only = off} (the migration role's own sessions stay writable), then
 * {@code ALTER DATABASE db SET default_transaction_read_only = on}; a setting for a role in a
 * database takes precedence over one for the database (manual, "ALTER ROLE" and "ALTER DATABASE",
 * and "Setting Parameters"). Such defaults apply only to sessions that start afterwards, so every
 * other session on the database is then ended with {@code pg_terminate_backend} (manual, "Server
 * Signaling Functions"); the application reconnects and its new sessions are read-only: a write
 * fails with SQLSTATE 25006 {@code cannot execute INSERT in a read-only transaction}. Lift: {@code
 * ALTER DATABASE db RESET default_transaction_read_only}, end the sessions opened during the window
 * (they kept the read-only default), then reset the migration role's setting.
 *
 * <p>The two settings are the fence's record: they live in the database system, so a run killed
 * while fenced leaves them, and the next run (or {@code dbguard fence lift}) recognises them as
 * dbguard's and takes them over. A database that already sets {@code default_transaction_read_only}
 * otherwise is refused, never overridden.
 *
 * <p>Needs: the migration role owns the database (or is superuser), and may end other roles'
 * sessions (superuser or member of {@code pg_signal_backend}); the application connects as another
 * role. Limits: a session can still {@code SET default_transaction_read_only = off} or start a
 * {@code READ WRITE} transaction; sessions of the migration role are never fenced, nor are a
 * superuser's sessions ended unless dbguard connects as a superuser; other databases of the server
 * are not touched; after a swap restore the restored database never carried the fence, while the
 * kept failed copy keeps it (it stays read-only, which protects it).
 */
public final class PgReadOnlyFence implements WriteFence {
  /** Reason of every {@link DbguardException} thrown by the fence. */
  public static final String FENCE_FAILED = "FenceFailed";

  private static final String SETTING = "default_transaction_read_only";

  /**
   * Other sessions on this database that the fence can end: those of a login role (background
   * workers have none) that is not a superuser, unless dbguard is one. {@code backend_type} of
   * another role's session reads as null to a role without {@code pg_read_all_stats} (manual, "The
   * Cumulative Statistics System", pg_stat_activity), so it cannot be used to pick client sessions.
   */
  private static final String OTHER_CLIENTS =
      "a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.usesysid IS NOT NULL"
          + " AND (NOT (SELECT rolsuper FROM pg_roles WHERE oid = a.usesysid)"
          + " OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user))";

  private final DatabaseTarget target;
  private final PostgresOptions options;

  private PgReadOnlyFence(DatabaseTarget target, PostgresOptions options) {
    this.target = target;
    this.options = options;
  }

  /** The fence for {@code target}'s database; connects only when raised or lifted. */
  public static PgReadOnlyFence of(DatabaseTarget target, PostgresOptions options) {
    return new PgReadOnlyFence(target, options);
  }

  @Override
  public String describe() {
    return "ReadOnly (database \"" + target.database() + "\")";
  }

  /** The settings of {@code default_transaction_read_only} this database carries. */
  record Settings(String database, String migrationRole) {
    /** Both of dbguard's settings: the fence is up (or a dead run left it up). */
    boolean fenced() {
      return "on".equals(database) && "off".equals(migrationRole);
    }

    boolean none() {
      return database == null && migrationRole == null;
    }
  }

  @Override
  public String raise() {
    try (Connection c = open("raise")) {
      String me = scalar(c, "SELECT current_user");
      Settings before = settings(c);
      boolean takeOver = before.fenced();
      if (!takeOver && !before.none()) {
        throw failed(
            "database \""
                + target.database()
                + "\" already sets "
                + SETTING
                + " ("
                + describe(before)
                + "), which dbguard did not set and will not override; reset it or choose another"
                + " write fence. Nothing was changed.");
      }
      requirePrivileges(c, me);
      List<String> shared = sessions(c, "a.usename = current_user");
      if (!takeOver && !shared.isEmpty()) {
        throw failed(
            "other sessions connect to \""
                + target.database()
                + "\" as "
                + me
                + ", the role dbguard migrates as, which the fence must leave writable: "
                + String.join(", ", shared)
                + ". Give the application its own role, or choose another write fence. Nothing"
                + " was changed.");
      }
      try {
        c.setAutoCommit(false);
        exec(c, "ALTER ROLE CURRENT_USER IN DATABASE " + db() + " SET " + SETTING + " = off");
        exec(c, "ALTER DATABASE " + db() + " SET " + SETTING + " = on");
        c.commit();
        c.setAutoCommit(true);
      } catch (SQLException e) {
        throw PgConnections.classify(e, target, "cannot raise the read-only fence");
      }
      int ended;
      try {
        ended = endOtherSessions(c);
      } catch (SQLException e) {
        String undo = undo(c);
        throw failed(
            "cannot end the sessions opened before the fence: "
                + PgConnections.clean(e.getMessage(), target)
                + "; "
                + undo);
      }
      return "database \""
          + target.database()
          + "\" is read-only for every role but "
          + me
          + " (ALTER DATABASE … SET "
          + SETTING
          + " = on); ended "
          + ended
          + " session(s) opened before the fence"
          + (takeOver ? " (took over the fence an earlier, unfinished run left in place)" : "");
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot raise the read-only fence");
    }
  }

  @Override
  public String lift() {
    try (Connection c = open("lift")) {
      Settings s = settings(c);
      if (s.none()) {
        return "database \"" + target.database() + "\" carries no read-only fence";
      }
      if ("on".equals(s.database()) && !"off".equals(s.migrationRole())) {
        return "database \""
            + target.database()
            + "\" is read-only by a setting dbguard did not make ("
            + describe(s)
            + "): left alone";
      }
      int ended = 0;
      if (s.database() != null) {
        exec(c, "ALTER DATABASE " + db() + " RESET " + SETTING);
        ended = endOtherSessions(c);
      }
      exec(c, "ALTER ROLE CURRENT_USER IN DATABASE " + db() + " RESET " + SETTING);
      return "database \""
          + target.database()
          + "\" is writable again; ended "
          + ended
          + " session(s) opened read-only during the window (the application reconnects)";
    } catch (SQLException e) {
      throw failed(
          "cannot lift the read-only fence: "
              + PgConnections.clean(e.getMessage(), target)
              + "; it is still in place: run `"
              + liftCommand()
              + "`");
    }
  }

  @Override
  public String liftCommand() {
    return "dbguard fence lift --write-fence ReadOnly   (with the same DATABASE_URL)";
  }

  /**
   * Whether a read-only fence set by dbguard is in place on {@code target}'s database (a run that
   * ended without lifting it, e.g. killed). Read-only; never throws for a missing privilege.
   *
   * @throws DbguardException a connection reason when the database cannot be reached
   */
  public boolean isRaised() {
    try (Connection c = open("check")) {
      return settings(c).fenced();
    } catch (SQLException e) {
      throw PgConnections.classify(e, target, "cannot read the fence settings");
    }
  }

  /**
   * The database-property statements of an archive without the read-only fence's pair ({@code ALTER
   * DATABASE … SET default_transaction_read_only TO 'on'} with {@code ALTER ROLE … IN DATABASE …
   * SET default_transaction_read_only TO 'off'}): a backup taken while the fence was up carries
   * both, and restoring them would fence the restored database with nobody to lift it. A read-only
   * setting without the pair is someone else's and is kept.
   */
  static List<String> withoutFence(List<String> statements) {
    java.util.function.Predicate<String> database =
        st -> st.startsWith("ALTER DATABASE ") && st.contains(" SET " + SETTING + " TO 'on'");
    java.util.function.Predicate<String> role =
        st ->
            st.startsWith("ALTER ROLE ")
                && st.contains(" IN DATABASE ")
                && st.contains(" SET " + SETTING + " TO 'off'");
    if (statements.stream().noneMatch(database) || statements.stream().noneMatch(role)) {
      return statements;
    }
    return statements.stream().filter(database.or(role).negate()).toList();
  }

  private Connection open(String what) {
    return PgConnections.open(target, options.connectTimeoutSeconds(), "dbguard fence " + what);
  }

  private String db() {
    return PgProfiler.quoteIdent(target.database());
  }

  private Settings settings(Connection c) throws SQLException {
    String database = null;
    String role = null;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.setrole = 0, cfg FROM pg_db_role_setting s"
                + " JOIN pg_database d ON d.oid = s.setdatabase, unnest(s.setconfig) cfg"
                + " WHERE d.datname = current_database()"
                + " AND (s.setrole = 0 OR s.setrole = (SELECT oid FROM pg_roles"
                + " WHERE rolname = current_user))"
                + " AND cfg LIKE '"
                + SETTING
                + "=%'")) {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String value = rs.getString(2).substring(SETTING.length() + 1);
          if (rs.getBoolean(1)) {
            database = value;
          } else {
            role = value;
          }
        }
      }
    }
    return new Settings(database, role);
  }

  private static String describe(Settings s) {
    List<String> parts = new ArrayList<>();
    if (s.database() != null) {
      parts.add("for the database: " + s.database());
    }
    if (s.migrationRole() != null) {
      parts.add("for the migration role in this database: " + s.migrationRole());
    }
    return String.join(", ", parts);
  }

  private void requirePrivileges(Connection c, String me) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT r.rolsuper, pg_get_userbyid(d.datdba),"
                    + " pg_has_role(current_user, 'pg_signal_backend', 'MEMBER')"
                    + " FROM pg_roles r, pg_database d"
                    + " WHERE r.rolname = current_user AND d.datname = current_database()")) {
      rs.next();
      boolean superuser = rs.getBoolean(1);
      String owner = rs.getString(2);
      boolean signal = rs.getBoolean(3);
      if (!superuser && !me.equals(owner)) {
        throw failed(
            "the read-only fence needs ALTER DATABASE, which only the owner can run: \""
                + target.database()
                + "\" is owned by "
                + owner
                + ", dbguard connects as "
                + me
                + ". Connect as the owner, or choose another write fence. Nothing was changed.");
      }
      if (!superuser && !signal) {
        throw failed(
            "the read-only fence must end the sessions opened before it, which needs"
                + " pg_signal_backend: a superuser runs `GRANT pg_signal_backend TO "
                + me
                + ";`. Nothing was changed.");
      }
    }
  }

  /** Other client sessions on this database matching {@code condition}, for messages. */
  private static List<String> sessions(Connection c, String condition) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pid, coalesce(nullif(application_name, ''), '?'),"
                    + " coalesce(host(client_addr), 'local') FROM pg_stat_activity"
                    + " a WHERE "
                    + OTHER_CLIENTS
                    + " AND "
                    + condition
                    + " ORDER BY pid")) {
      while (rs.next()) {
        out.add("pid " + rs.getInt(1) + " (" + rs.getString(2) + " from " + rs.getString(3) + ")");
      }
    }
    return out;
  }

  private static int endOtherSessions(Connection c) throws SQLException {
    int ended = 0;
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity a WHERE "
                    + OTHER_CLIENTS)) {
      while (rs.next()) {
        if (rs.getBoolean(1)) {
          ended++;
        }
      }
    }
    return ended;
  }

  /** Removes both settings after a failed raise; says whether that worked. */
  private String undo(Connection c) {
    try {
      if (!c.getAutoCommit()) {
        c.rollback();
        c.setAutoCommit(true);
      }
      exec(c, "ALTER DATABASE " + db() + " RESET " + SETTING);
      exec(c, "ALTER ROLE CURRENT_USER IN DATABASE " + db() + " RESET " + SETTING);
      return "the fence was removed again, nothing was changed";
    } catch (SQLException e) {
      return "the fence could not be removed again ("
          + PgConnections.clean(e.getMessage(), target)
          + "): run `"
          + liftCommand()
          + "`";
    }
  }

  private static void exec(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  private static String scalar(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static DbguardException failed(String message) {
    return new DbguardException(FENCE_FAILED, message);
  }
}
