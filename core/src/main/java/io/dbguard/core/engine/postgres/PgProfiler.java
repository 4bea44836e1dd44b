package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.ContentChecksum;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.TableProfile;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Computes a {@link DataProfile} of the database a JDBC session is connected to, inside whatever
 * transaction (and therefore snapshot) the session is in.
 *
 * <ul>
 *   <li>Tables: every ordinary table ({@code relkind = 'r'}, partitions included, partitioned
 *       parents excluded to avoid double counting) outside {@code pg_*} and {@code
 *       information_schema} schemas and not owned by an extension. One scan per table: {@code
 *       SELECT count(*), count(c1), … FROM ONLY s.t}.
 *   <li>Schema fingerprint: SHA-256 over the sorted lines describing schemas, extensions, relations
 *       (kind, persistence), columns (type, NOT NULL, default, identity, generated), indexes
 *       ({@code pg_get_indexdef}), constraints ({@code pg_get_constraintdef}), sequences (type,
 *       start, increment, bounds, cycle), enums (labels in order), other user types, views
 *       (definition hash), functions/procedures (definition hash) and triggers. Owners, ACLs, OIDs,
 *       column positions and sequence values are deliberately excluded: a restore with {@code
 *       --no-owner} or into a renamed database must fingerprint equal. Catalogs: PostgreSQL manual,
 *       chapter "System Catalogs".
 *   <li>History version: the newest applied entry of the first known migration-history table found
 *       (schema {@code public} first).
 * </ul>
 *
 * <p>The session's {@code search_path} must be {@code pg_catalog} so that the {@code pg_get_*def}
 * functions qualify every name; {@link #prepareSession} sets it.
 */
final class PgProfiler {
  private PgProfiler() {}

  private static final String USER_NS =
      "SELECT oid, nspname FROM pg_namespace WHERE nspname <> 'information_schema'"
          + " AND nspname NOT LIKE 'pg\\_%'";
  private static final String NOT_EXT_CLASS =
      " NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass"
          + " AND d.objid = c.oid AND d.deptype = 'e')";

  /** One known migration-history table: name, required columns, query ({@code %s} = table). */
  private record History(String table, List<String> columns, String query) {}

  private static final List<History> HISTORIES =
      List.of(
          new History(
              "flyway_schema_history",
              List.of("version", "success", "installed_rank"),
              "SELECT version FROM %s WHERE success AND version IS NOT NULL"
                  + " ORDER BY installed_rank DESC LIMIT 1"),
          new History(
              "schema_migrations",
              List.of("version"),
              "SELECT version::text FROM %s ORDER BY version DESC LIMIT 1"),
          new History(
              "django_migrations",
              List.of("id", "app", "name"),
              "SELECT app || '.' || name FROM %s ORDER BY id DESC LIMIT 1"),
          new History(
              "_prisma_migrations",
              List.of("migration_name", "finished_at", "rolled_back_at"),
              "SELECT migration_name FROM %s WHERE finished_at IS NOT NULL"
                  + " AND rolled_back_at IS NULL ORDER BY migration_name DESC LIMIT 1"),
          new History(
              "databasechangelog",
              List.of("id", "orderexecuted"),
              "SELECT id FROM %s ORDER BY orderexecuted DESC LIMIT 1"),
          new History(
              "goose_db_version",
              List.of("id", "version_id", "is_applied"),
              "SELECT version_id::text FROM %s WHERE is_applied ORDER BY id DESC LIMIT 1"),
          new History(
              "knex_migrations",
              List.of("id", "name"),
              "SELECT name FROM %s ORDER BY id DESC LIMIT 1"),
          new History(
              "SequelizeMeta", List.of("name"), "SELECT name FROM %s ORDER BY name DESC LIMIT 1"));

  /**
   * Settings that fix every value's text output, so that content checksums ({@code col::text}) do
   * not depend on the session that takes them (PostgreSQL manual, "Client Connection Defaults":
   * TimeZone, DateStyle, IntervalStyle, extra_float_digits, bytea_output).
   */
  private static final List<String> TEXT_OUTPUT =
      List.of(
          "TimeZone = 'UTC'",
          "DateStyle = 'ISO, YMD'",
          "IntervalStyle = 'postgres'",
          "extra_float_digits = 1",
          "bytea_output = 'hex'");

  /**
   * Sets {@code search_path = pg_catalog} and the {@link #TEXT_OUTPUT} settings for the current
   * transaction or session.
   */
  static void prepareSession(Connection c, boolean local) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute(local ? "SET LOCAL search_path = pg_catalog" : "SET search_path = pg_catalog");
      for (String setting : TEXT_OUTPUT) {
        st.execute((local ? "SET LOCAL " : "SET ") + setting);
      }
    }
  }

  /** Qualified user tables ({@code schema, table}) in name order. */
  static List<String[]> userTables(Connection c) throws SQLException {
    List<String[]> out = new ArrayList<>();
    String sql =
        "SELECT n.nspname, c.relname FROM pg_class c JOIN ("
            + USER_NS
            + ") n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND"
            + NOT_EXT_CLASS
            + " ORDER BY 1, 2";
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(new String[] {rs.getString(1), rs.getString(2)});
      }
    }
    return out;
  }

  /**
   * The full profile: counts (with large objects as {@link PgLargeObjects#PSEUDO_TABLE}),
   * fingerprint, history version.
   */
  static DataProfile profile(Connection c) throws SQLException {
    return profile(c, false);
  }

  /**
   * The full profile, with per-column content checksums ({@link ContentChecksum}) when {@code
   * contentChecksums} is set.
   */
  static DataProfile profile(Connection c, boolean contentChecksums) throws SQLException {
    Map<String, TableProfile> tables = new LinkedHashMap<>();
    for (String[] t : userTables(c)) {
      tables.put(t[0] + "." + t[1], countTable(c, t[0], t[1], contentChecksums));
    }
    PgLargeObjects.profileInto(tables, c);
    return new DataProfile(tables, fingerprint(c), historyVersion(c));
  }

  /**
   * Exact row count and per-column non-null counts of one table and, when {@code contentChecksums}
   * is set, per-column content checksums ({@link ContentChecksum#postgresExpression}), in one scan.
   */
  static TableProfile countTable(
      Connection c, String schema, String table, boolean contentChecksums) throws SQLException {
    List<String> cols = new ArrayList<>();
    List<String> all = new ArrayList<>();
    List<String> notNullCols = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, a.attnotnull FROM pg_attribute a JOIN pg_class c ON c.oid ="
                + " a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ?"
                + " AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          // a NOT NULL column's non-null count is the row count: no need to evaluate it per row
          (rs.getBoolean(2) ? notNullCols : cols).add(rs.getString(1));
          all.add(rs.getString(1));
        }
      }
    }
    StringBuilder sql = new StringBuilder("SELECT count(*)");
    for (String col : cols) {
      sql.append(", count(").append(quoteIdent(col)).append(')');
    }
    if (contentChecksums) {
      for (String col : all) {
        sql.append(", ").append(ContentChecksum.postgresExpression(quoteIdent(col)));
      }
    }
    sql.append(" FROM ONLY ").append(quoteIdent(schema)).append('.').append(quoteIdent(table));
    Map<String, Long> nonNull = new TreeMap<>();
    Map<String, String> checksums = new TreeMap<>();
    long rows;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql.toString())) {
      rs.next();
      rows = rs.getLong(1);
      for (int i = 0; i < cols.size(); i++) {
        nonNull.put(cols.get(i), rs.getLong(i + 2));
      }
      if (contentChecksums) {
        for (int i = 0; i < all.size(); i++) {
          checksums.put(all.get(i), rs.getString(cols.size() + 2 + i));
        }
      }
    }
    for (String col : notNullCols) {
      nonNull.put(col, rows);
    }
    return new TableProfile(rows, nonNull, checksums);
  }

  /** SHA-256 (hex) over the sorted schema facts described in the class comment. */
  static String fingerprint(Connection c) throws SQLException {
    Set<String> lines = new TreeSet<>(schemaFacts(c));
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (String line : lines) {
      md.update(line.getBytes(StandardCharsets.UTF_8));
      md.update((byte) '\n');
    }
    return HexFormat.of().formatHex(md.digest());
  }

  /** The fingerprint's input lines (unsorted); exposed for diagnostics and tests. */
  static List<String> schemaFacts(Connection c) throws SQLException {
    String ns = "(" + USER_NS + ")";
    String sql =
        "SELECT 'schema ' || n.nspname FROM "
            + ns
            + " n WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid ="
            + " 'pg_namespace'::regclass AND d.objid = n.oid AND d.deptype = 'e')"
            + " UNION ALL SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension"
            + " WHERE extname <> 'plpgsql'"
            + " UNION ALL SELECT 'relation ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text"
            + " || ' ' || c.relpersistence::text FROM pg_class c JOIN "
            + ns
            + " n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p','v','m','f','S','c') AND"
            + NOT_EXT_CLASS
            + " UNION ALL SELECT 'column ' || n.nspname || '.' || c.relname || '.' || a.attname"
            + " || ' ' || format_type(a.atttypid, a.atttypmod) || CASE WHEN a.attnotnull THEN"
            + " ' not null' ELSE '' END || coalesce(' default ' || pg_get_expr(ad.adbin,"
            + " ad.adrelid), '') || CASE WHEN a.attidentity <> '' THEN ' identity ' ||"
            + " a.attidentity::text ELSE '' END || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE"
            + " '' END FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN "
            + ns
            + " n ON n.oid = c.relnamespace LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND"
            + " ad.adnum = a.attnum WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN"
            + " ('r','p','v','m','f','c') AND"
            + NOT_EXT_CLASS
            + " UNION ALL SELECT 'index ' || pg_get_indexdef(i.indexrelid) FROM pg_index i JOIN"
            + " pg_class c ON c.oid = i.indrelid JOIN "
            + ns
            + " n ON n.oid = c.relnamespace WHERE"
            + NOT_EXT_CLASS
            + " UNION ALL SELECT 'constraint ' || n.nspname || '.' || coalesce(c.relname,"
            + " t.typname) || '.' || co.conname || ' ' || pg_get_constraintdef(co.oid) FROM"
            + " pg_constraint co JOIN "
            + ns
            + " n ON n.oid = co.connamespace LEFT JOIN pg_class c ON c.oid = co.conrelid LEFT JOIN"
            + " pg_type t ON t.oid = co.contypid WHERE NOT EXISTS (SELECT 1 FROM pg_depend d WHERE"
            + " d.objid IN (co.conrelid, co.contypid) AND d.deptype = 'e')"
            + " UNION ALL SELECT 'sequence ' || n.nspname || '.' || c.relname || ' ' ||"
            + " format_type(s.seqtypid, NULL) || ' ' || s.seqstart || ' ' || s.seqincrement || ' '"
            + " || s.seqmin || ' ' || s.seqmax || ' ' || s.seqcycle FROM pg_sequence s JOIN"
            + " pg_class c ON c.oid = s.seqrelid JOIN "
            + ns
            + " n ON n.oid = c.relnamespace WHERE"
            + NOT_EXT_CLASS
            + " UNION ALL SELECT 'enum ' || n.nspname || '.' || t.typname || ' ' ||"
            + " string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e JOIN pg_type"
            + " t ON t.oid = e.enumtypid JOIN "
            + ns
            + " n ON n.oid = t.typnamespace GROUP BY n.nspname, t.typname"
            + " UNION ALL SELECT 'type ' || n.nspname || '.' || t.typname || ' ' || t.typtype::text ||"
            + " coalesce(' ' || format_type(t.typbasetype, t.typtypmod), '') FROM pg_type t JOIN "
            + ns
            + " n ON n.oid = t.typnamespace WHERE t.typtype IN ('d','r','m') AND NOT EXISTS"
            + " (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid ="
            + " t.oid AND d.deptype = 'e')"
            + " UNION ALL SELECT 'view ' || n.nspname || '.' || c.relname || ' ' ||"
            + " md5(pg_get_viewdef(c.oid)) FROM pg_class c JOIN "
            + ns
            + " n ON n.oid = c.relnamespace WHERE c.relkind IN ('v','m') AND"
            + NOT_EXT_CLASS
            + " UNION ALL SELECT 'function ' || n.nspname || '.' || p.proname || '(' ||"
            + " pg_get_function_identity_arguments(p.oid) || ') ' || md5(pg_get_functiondef(p.oid))"
            + " FROM pg_proc p JOIN "
            + ns
            + " n ON n.oid = p.pronamespace WHERE p.prokind IN ('f','p') AND NOT EXISTS (SELECT 1"
            + " FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND"
            + " d.deptype = 'e')"
            + " UNION ALL SELECT 'trigger ' || pg_get_triggerdef(tg.oid) FROM pg_trigger tg JOIN"
            + " pg_class c ON c.oid = tg.tgrelid JOIN "
            + ns
            + " n ON n.oid = c.relnamespace WHERE NOT tg.tgisinternal";
    List<String> out = new ArrayList<>();
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  /**
   * The newest applied migration of the first known history table found, or {@code null} when there
   * is none (or it is empty).
   */
  static String historyVersion(Connection c) throws SQLException {
    for (History h : HISTORIES) {
      String[] found = null;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT n.nspname, c.oid FROM pg_class c JOIN ("
                  + USER_NS
                  + ") n ON n.oid = c.relnamespace WHERE c.relkind IN ('r','p')"
                  + " AND c.relname = ? ORDER BY (n.nspname = 'public') DESC, n.nspname LIMIT 1")) {
        ps.setString(1, h.table());
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            found = new String[] {rs.getString(1), rs.getString(2)};
          }
        }
      }
      if (found == null) {
        continue;
      }
      Set<String> cols = new TreeSet<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT attname FROM pg_attribute WHERE attrelid = ?::oid AND attnum > 0"
                  + " AND NOT attisdropped")) {
        ps.setString(1, found[1]);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            cols.add(rs.getString(1));
          }
        }
      }
      if (!cols.containsAll(h.columns())) {
        continue;
      }
      String q = String.format(h.query(), quoteIdent(found[0]) + "." + quoteIdent(h.table()));
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(q)) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
    return null;
  }

  /** Quotes an SQL identifier like PostgreSQL's {@code quote_ident}, always quoting. */
  static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** Quotes an SQL string literal (standard_conforming_strings on). */
  static String quoteLiteral(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
