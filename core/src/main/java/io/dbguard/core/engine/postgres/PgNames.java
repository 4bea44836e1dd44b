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
 * manual, "Identifiers and Key Words": longer names are truncated). Every name dbguard derives from
 * a database's name — the restore-aside {@code <db>_restore_<stamp>}, the failed copy {@code
 * <db>_failed_<stamp>}, the names in the printed manual restore — comes from {@link #derived}: when
 * {@code <db><suffix>} is too long it shortens the base and adds a hash of the full name, so the
 * result keeps the whole suffix, never equals the base, and differs between long names that share
 * their first bytes. Recognising a derived name is recomputing it from the owning database's exact
 * name ({@link #isDerived}), never comparing a prefix.
 */
public final class PgNames {
  /** The UTC stamp in those names. */
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd_HHmmss").withZone(ZoneOffset.UTC);

  /** PostgreSQL's longest identifier in bytes (NAMEDATALEN 64, minus the terminator). */
  public static final int MAX_BYTES = 63;

  private PgNames() {}

  /**
   * {@link #derived}{@code (base, suffix)}, or with {@code _2}, {@code _3}, … appended to the
   * suffix until the name is not yet used by a database on the server of {@code m}.
   *
   * @throws SQLException when {@code pg_database} cannot be read
   */
  static String freeName(Connection m, String base, String suffix) throws SQLException {
    String candidate = derived(base, suffix);
    for (int i = 2; exists(m, candidate); i++) {
      candidate = derived(base, suffix + "_" + i);
    }
    return candidate;
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

  /**
   * Whether {@code name} is exactly what {@link #derived}{@code (base, suffix)} gives: the name was
   * derived from the database named exactly {@code base} (up to a collision of the 32-bit hash
   * between two names longer than the limit that share every byte of their kept prefix).
   */
  static boolean isDerived(String name, String base, String suffix) {
    return name.equals(derived(base, suffix));
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
