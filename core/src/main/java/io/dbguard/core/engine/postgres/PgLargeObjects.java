package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.TableProfile;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

/**
 * Large objects in the data profile. They live outside every user table ({@code
 * pg_largeobject_metadata} has one row per large object; PostgreSQL manual, "Large Objects" and
 * "pg_largeobject_metadata"), so without this a migration that runs {@code lo_unlink} on them would
 * pass the data-loss check. When a database holds at least one large object its profile carries the
 * pseudo-table {@value #PSEUDO_TABLE} whose row count is the number of large objects; a drop to
 * fewer (or to none: the entry disappears) is reported like lost rows, and a restore is verified
 * against it.
 */
final class PgLargeObjects {
  /** The profile entry that counts large objects; also what {@code --acknowledge} names. */
  static final String PSEUDO_TABLE = "pg_catalog.pg_largeobject_metadata";

  /** Unlinks every large object of the database (one statement; needs ownership of each). */
  static final String UNLINK_ALL =
      "PERFORM pg_catalog.lo_unlink(oid) FROM pg_catalog.pg_largeobject_metadata;";

  private PgLargeObjects() {}

  /**
   * Adds {@value #PSEUDO_TABLE} to {@code tables} when the database holds large objects; counts
   * them with one read of {@code pg_largeobject_metadata}, in {@code c}'s snapshot.
   *
   * @throws SQLException when the catalog cannot be read
   */
  static void profileInto(Map<String, TableProfile> tables, Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_catalog.pg_largeobject_metadata")) {
      rs.next();
      long n = rs.getLong(1);
      if (n > 0) {
        tables.put(PSEUDO_TABLE, new TableProfile(n, Map.of()));
      }
    }
  }
}
