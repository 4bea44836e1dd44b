package io.dbguard.core.engine.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The SQL an in-place restore runs, in the restore's own transaction, before the archive's SQL:
 * every user schema dropped with {@code CASCADE} (schemas that belong to an extension stay), every
 * large object unlinked (the archive re-creates them with {@code lo_create} of their old OIDs,
 * which fails with a duplicate key on {@code pg_largeobject_metadata_oid_index} when they still
 * exist), and the {@code public} schema re-created as it is now (owner, comment, grants), because
 * {@code pg_dump} never emits {@code CREATE SCHEMA public}. Used by {@link PostgresInPlaceRestore}
 * and by the manual in-place restore {@link PostgresManualRestore} prints.
 */
final class PgCleanSlate {
  /** The statement that aborts the restore transaction when the archive could not be read. */
  static final String ABORT =
      "\nDO $dbguard$BEGIN RAISE EXCEPTION 'pg_restore failed: nothing was restored'; END"
          + "$dbguard$;\n";

  private static final String DROP_SCHEMAS_AND_LARGE_OBJECTS =
      "DO $dbguard$\n"
          + "DECLARE s text;\n"
          + "BEGIN\n"
          + "  FOR s IN SELECT n.nspname FROM pg_catalog.pg_namespace n"
          + " WHERE n.nspname <> 'information_schema' AND n.nspname NOT LIKE 'pg\\_%'"
          + " AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d"
          + " WHERE d.classid = 'pg_catalog.pg_namespace'::regclass AND d.objid = n.oid"
          + " AND d.deptype = 'e') ORDER BY 1 LOOP\n"
          + "    EXECUTE pg_catalog.format('DROP SCHEMA %I CASCADE', s);\n"
          + "  END LOOP;\n"
          + "  "
          + PgLargeObjects.UNLINK_ALL
          + "\n"
          + "END\n"
          + "$dbguard$;\n";

  private PgCleanSlate() {}

  /**
   * The prelude for the database {@code c} is connected to; {@code public} is re-created as it is
   * in that database now (not at all when it does not exist now).
   *
   * @throws SQLException when the catalog cannot be read
   */
  static String prelude(Connection c) throws SQLException {
    StringBuilder sql = new StringBuilder("SET client_min_messages = warning;\n");
    sql.append(DROP_SCHEMAS_AND_LARGE_OBJECTS);
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT pg_catalog.pg_get_userbyid(n.nspowner),"
                    + " pg_catalog.obj_description(n.oid, 'pg_namespace')"
                    + " FROM pg_catalog.pg_namespace n WHERE n.nspname = 'public'")) {
      if (!rs.next()) {
        return sql.toString();
      }
      sql.append("CREATE SCHEMA public AUTHORIZATION ")
          .append(PgProfiler.quoteIdent(rs.getString(1)))
          .append(";\n");
      if (rs.getString(2) != null) {
        sql.append("COMMENT ON SCHEMA public IS ")
            .append(PgProfiler.quoteLiteral(rs.getString(2)))
            .append(";\n");
      }
    }
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE"
                    + " pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(a.grantee)) END,"
                    + " a.privilege_type FROM pg_catalog.pg_namespace n,"
                    + " pg_catalog.aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND"
                    + " a.grantee <> n.nspowner")) {
      while (rs.next()) {
        sql.append("GRANT ")
            .append(rs.getString(2))
            .append(" ON SCHEMA public TO ")
            .append(rs.getString(1))
            .append(";\n");
      }
    }
    return sql.toString();
  }
}
