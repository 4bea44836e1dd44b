package io.dbguard.cli;

import java.util.Locale;

/** Parses a size option: a number of bytes, or a number with a K, M or G suffix (× 1024ⁿ). */
final class ByteSize {

  private ByteSize() {}

  /**
   * {@code "1048576"}, {@code "512K"}, {@code "64M"}, {@code "2G"} (also {@code KB}/{@code MiB}…,
   * case-insensitive) → bytes.
   *
   * @param option the option's name, for the message
   * @throws IllegalArgumentException when the value is not a positive size
   */
  static long parse(String option, String value) {
    String v = value.trim().toUpperCase(Locale.ROOT).replaceFirst("I?B$", "");
    long unit = 1;
    if (!v.isEmpty() && "KMG".indexOf(v.charAt(v.length() - 1)) >= 0) {
      unit = 1L << (10 * ("KMG".indexOf(v.charAt(v.length() - 1)) + 1));
      v = v.substring(0, v.length() - 1).trim();
    }
    try {
      long n = Long.parseLong(v);
      if (n <= 0 || n > Long.MAX_VALUE / unit) {
        throw new NumberFormatException();
      }
      return n * unit;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          option
              + " must be a positive size such as 1048576, 512K, 64M or 2G, not '"
              + value
              + "'");
    }
  }
}
