package io.dbguard.core.report;

import java.util.Locale;

/** Sizes for people: binary units, one decimal. */
public final class HumanSize {
  private HumanSize() {}

  /** {@code n} bytes as {@code 512 B}, {@code 12.3 KiB}, {@code 1.0 GiB} (1 KiB = 1024 bytes). */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = n;
    int i = -1;
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[i]);
  }
}
