package io.dbguard.core.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the PostgreSQL role the plan connected as may do, read from the catalogs without touching a
 * table (PostgreSQL manual: "pg_roles", "pg_class", "Privileges" and the access privilege inquiry
 * functions {@code pg_has_role}, {@code has_table_privilege}). Ownership counts through role
 * membership ({@code pg_has_role(…, 'USAGE')}), as PostgreSQL grants it. Only ordinary and
 * partitioned tables outside {@code pg_catalog}, {@code information_schema} and {@code pg_toast}
 * are counted.
 *
 * @param role the session's role ({@code current_user})
 * @param superuser {@code rolsuper}: bypasses every permission check
 * @param createDb {@code rolcreatedb}
 * @param createRole {@code rolcreaterole}
 * @param ownsDatabase the role (or a role it is a member of) owns the current database, so it can
 *     {@code DROP DATABASE} it
 * @param tables user tables in the database
 * @param ownedTables tables the role owns: it can {@code ALTER}, {@code DROP} and {@code TRUNCATE}
 *     them
 * @param droppableTables tables the role can {@code DROP}: owned, or in a schema it owns (the
 *     manual, "DROP TABLE": "the table owner, the schema owner, and superuser")
 * @param truncatableTables tables the role holds {@code TRUNCATE} on (ownership included)
 * @param dmlTables tables the role may {@code SELECT}, {@code INSERT}, {@code UPDATE} and {@code
 *     DELETE}
 * @param ownedSchemas user schemas the role owns, by name
 */
public record RolePrivileges(
    String role,
    boolean superuser,
    boolean createDb,
    boolean createRole,
    boolean ownsDatabase,
    int tables,
    int ownedTables,
    int droppableTables,
    int truncatableTables,
    int dmlTables,
    List<String> ownedSchemas) {

  private static final String ROLE_SQL =
      "SELECT r.rolname, r.rolsuper, r.rolcreatedb, r.rolcreaterole,"
          + " (SELECT pg_has_role(current_user, d.datdba, 'USAGE') FROM pg_database d"
          + "  WHERE d.datname = current_database())"
          + " FROM pg_roles r WHERE r.rolname = current_user";

  private static final String USER_TABLES =
      " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
          + " WHERE c.relkind IN ('r', 'p')"
          + " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

  private static final String TABLES_SQL =
      "SELECT count(*),"
          + " count(*) FILTER (WHERE pg_has_role(current_user, c.relowner, 'USAGE')),"
          + " count(*) FILTER (WHERE pg_has_role(current_user, c.relowner, 'USAGE')"
          + "   OR pg_has_role(current_user, n.nspowner, 'USAGE')),"
          + " count(*) FILTER (WHERE has_table_privilege(c.oid, 'TRUNCATE')),"
          + " count(*) FILTER (WHERE has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'INSERT')"
          + "   AND has_table_privilege(c.oid, 'UPDATE') AND has_table_privilege(c.oid, 'DELETE'))"
          + USER_TABLES;

  private static final String SCHEMAS_SQL =
      "SELECT nspname FROM pg_namespace WHERE pg_has_role(current_user, nspowner, 'USAGE')"
          + " AND nspname NOT IN ('pg_catalog', 'information_schema')"
          + " AND nspname NOT LIKE 'pg\\_%' ORDER BY nspname";

  public RolePrivileges {
    ownedSchemas = List.copyOf(ownedSchemas);
  }

  /**
   * Reads the privileges of the session's role. Reads catalogs only.
   *
   * @throws SQLException when the catalogs cannot be read
   */
  public static RolePrivileges read(Connection c) throws SQLException {
    String role;
    boolean superuser;
    boolean createDb;
    boolean createRole;
    boolean ownsDb;
    try (PreparedStatement s = c.prepareStatement(ROLE_SQL);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      role = rs.getString(1);
      superuser = rs.getBoolean(2);
      createDb = rs.getBoolean(3);
      createRole = rs.getBoolean(4);
      ownsDb = rs.getBoolean(5);
    }
    int[] t = new int[5];
    try (PreparedStatement s = c.prepareStatement(TABLES_SQL);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      for (int i = 0; i < t.length; i++) {
        t[i] = rs.getInt(i + 1);
      }
    }
    List<String> schemas = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(SCHEMAS_SQL);
        ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        schemas.add(rs.getString(1));
      }
    }
    return new RolePrivileges(
        role, superuser, createDb, createRole, ownsDb, t[0], t[1], t[2], t[3], t[4], schemas);
  }
}
