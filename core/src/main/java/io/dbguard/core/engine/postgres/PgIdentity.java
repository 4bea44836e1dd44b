package io.dbguard.core.engine.postgres;

import io.dbguard.core.backup.DatabaseIdentity;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.EngineKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL database's identity for manifests ({@link DatabaseIdentity}): the target's host,
 * port, database and user, plus the cluster's {@code system_identifier} from {@code
 * pg_control_system()} (PostgreSQL manual "System Information Functions"; executable by every role
 * by default) and the database's OID from {@code pg_database}.
 */
final class PgIdentity {
  private PgIdentity() {}

  /** The identity without a session: what the URL says (no system identifier). */
  static Map<String, String> ofTarget(DatabaseTarget target) {
    Map<String, String> id = new LinkedHashMap<>();
    id.put(DatabaseIdentity.ENGINE, EngineKind.POSTGRESQL.displayName());
    id.putAll(target.identity());
    return id;
  }

  /**
   * The identity read over a session on the database itself.
   *
   * @throws SQLException when the catalog cannot be read; a role denied {@code pg_control_system()}
   *     gets the identity without it (matching then falls back to host, port and name)
   */
  static Map<String, String> of(DatabaseTarget target, Connection c) throws SQLException {
    Map<String, String> id = ofTarget(target);
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT oid::text FROM pg_database WHERE datname = current_database()")) {
      if (rs.next()) {
        id.put(DatabaseIdentity.DATABASE_OID, rs.getString(1));
      }
    }
    boolean inTx = !c.getAutoCommit();
    java.sql.Savepoint sp = inTx ? c.setSavepoint() : null;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT system_identifier::text FROM pg_control_system()")) {
      if (rs.next()) {
        id.put(DatabaseIdentity.SYSTEM_IDENTIFIER, rs.getString(1));
      }
    } catch (SQLException e) {
      if (!"42501".equals(e.getSQLState())) {
        throw e;
      }
      if (sp != null) {
        c.rollback(sp);
      }
    }
    return id;
  }
}
