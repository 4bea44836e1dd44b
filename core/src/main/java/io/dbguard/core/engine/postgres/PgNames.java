package io.dbguard.core.engine.postgres;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Derived database names that fit PostgreSQL's identifier limit: NAMEDATALEN - 1 = 63 bytes
 * (PostgreSQL manual, "Identifiers and Key Words": longer names are truncated). A name such as
 * {@code <db>_restore} is cut by the server to 63 bytes, which for a 63-byte {@code <db>} is the
 * live name itself; {@link #derived} shortens the base instead and adds a hash of the full name, so
 * the result keeps the whole suffix, never equals the base and differs between long names that
 * share their first bytes.
 */
public final class PgNames {
  /** PostgreSQL's longest identifier in bytes (NAMEDATALEN 64, minus the terminator). */
  public static final int MAX_BYTES = 63;

  private PgNames() {}

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
