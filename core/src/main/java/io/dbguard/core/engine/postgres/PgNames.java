package io.dbguard.core.engine.postgres;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.zip.CRC32;

/**
 * Database names within PostgreSQL's identifier limit: NAMEDATALEN - 1 = 63 bytes (PostgreSQL
 * manual, "Identifiers and Key Words": longer names are truncated). {@link #derived} (names printed
 * in the manual restore) shortens the base and adds a hash of the full name, so the result keeps
 * the whole suffix, never equals the base and differs between long names that share their first
 * bytes. Names of the databases a restore creates: {@code <db>_restore_<stamp>}, {@code
 * <db>_failed_<stamp>}.
 */
public final class PgNames {
  /** The UTC stamp in those names. */
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);

  /** PostgreSQL's longest identifier in bytes (NAMEDATALEN 64, minus the terminator). */
  public static final int MAX_BYTES = 63;

  private static final int MAX_IDENT_BYTES = MAX_BYTES;

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

  /**
   * {@code base + suffix} when it fits in {@link #MAX_BYTES} bytes (UTF-8); otherwise the longest
   * prefix of {@code base} (cut at a character boundary) + {@code _} + 8 hex digits of the CRC-32
   * of {@code base} + {@code suffix}.
   */
  public static String derived(String base, String suffix) {
    String whole = base + suffix;
    if (bytes(whole) <= MAX_BYTES) {
      return whole;
    }
    CRC32 crc = new CRC32();
    crc.update(base.getBytes(StandardCharsets.UTF_8));
    String tag = String.format("_%08x", crc.getValue());
    int budget = MAX_BYTES - bytes(tag) - bytes(suffix);
    StringBuilder prefix = new StringBuilder();
    for (int i = 0; i < base.length(); ) {
      int cp = base.codePointAt(i);
      String ch = new String(Character.toChars(cp));
      if (bytes(prefix.toString()) + bytes(ch) > budget) {
        break;
      }
      prefix.append(ch);
      i += Character.charCount(cp);
    }
    return prefix + tag + suffix;
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
