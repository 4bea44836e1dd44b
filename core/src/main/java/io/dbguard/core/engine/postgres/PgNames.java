package io.dbguard.core.engine.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names of the databases a restore creates: {@code <db>_restore_<stamp>}, {@code
 * <db>_failed_<stamp>}.
 */
final class PgNames {
  /** The UTC stamp in those names. */
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);

  private static final int MAX_IDENT_BYTES = 63;

  private PgNames() {}

  /** {@code <base><suffix>} within 63 bytes and not yet used by another database. */
  static String freeName(Connection m, String base, String suffix) throws SQLException {
    String candidate = fit(base, suffix) + suffix;
    for (int i = 2; exists(m, candidate); i++) {
      String s = suffix + "_" + i;
      candidate = fit(base, s) + s;
    }
    return candidate;
  }

  /** The longest prefix of {@code base} that leaves room for {@code suffix} in 63 bytes. */
  static String fit(String base, String suffix) {
    String b = base;
    while ((b + suffix).getBytes(StandardCharsets.UTF_8).length > MAX_IDENT_BYTES) {
      b = b.substring(0, b.length() - 1);
    }
    return b;
  }

  static boolean exists(Connection m, String db) throws SQLException {
    try (PreparedStatement ps = m.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      ps.setString(1, db);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }
}
