package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DiskSpace;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The free-space check before a PostgreSQL backup. The client sees only its own file systems, so
 * the server's disk (which a swap restore fills with a second copy of the database) is not checked
 * here: no portable SQL function reports free space on the server (the PostgreSQL manual's "System
 * Administration Functions" list database, table and tablespace sizes, never free space);
 * docs/postgres.md says how to check it.
 */
final class PgDiskSpace {
  private PgDiskSpace() {}

  /**
   * Refuses the backup unless {@code dir} has {@code pg_database_size(current_database())} bytes
   * plus {@link DiskSpace#margin} free. That size (every heap, TOAST and index file of the
   * database, "Database Object Management Functions" in the PostgreSQL manual) bounds the
   * custom-format dump in practice: the dump holds each row once as COPY text, without indexes
   * (only their definitions), without dead rows or free space in pages, and compressed; only
   * incompressible data stored compressed in TOAST (pglz) can come out slightly larger, which the
   * margin covers. The check is conservative: a typical dump is several times smaller than the
   * database.
   *
   * @throws io.dbguard.core.engine.DbguardException {@code InsufficientSpace}
   * @throws SQLException when the size cannot be read
   */
  static void requireRoomForDump(Connection c, DatabaseTarget target, Path dir)
      throws SQLException {
    long size;
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      size = rs.getLong(1);
    }
    DiskSpace.require(
        dir,
        size + DiskSpace.margin(size),
        "the backup of "
            + target.redacted()
            + " (pg_database_size = "
            + size
            + " bytes, the most its dump is expected to take)",
        "delete old backups with `dbguard backups prune` (or give the backup volume more room),"
            + " then run again");
  }
}
