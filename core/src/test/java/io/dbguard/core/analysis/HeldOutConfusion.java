package io.dbguard.core.analysis;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts of (expected level, reported level) pairs for one group of files, with precision and
 * recall per level. A level nobody expected and nothing reported has precision and recall 1.
 */
final class HeldOutConfusion {

  private final Map<HeldOutLevel, Map<HeldOutLevel, Integer>> cells =
      new EnumMap<>(HeldOutLevel.class);
  private int total;

  void add(HeldOutLevel expected, HeldOutLevel got) {
    cells
        .computeIfAbsent(expected, k -> new EnumMap<>(HeldOutLevel.class))
        .merge(got, 1, Integer::sum);
    total++;
  }

  int count(HeldOutLevel expected, HeldOutLevel got) {
    return cells.getOrDefault(expected, Map.of()).getOrDefault(got, 0);
  }

  int total() {
    return total;
  }

  int correct() {
    int c = 0;
    for (HeldOutLevel l : HeldOutLevel.values()) {
      c += count(l, l);
    }
    return c;
  }

  private int expected(HeldOutLevel l) {
    int n = 0;
    for (HeldOutLevel g : HeldOutLevel.values()) {
      n += count(l, g);
    }
    return n;
  }

  private int reported(HeldOutLevel l) {
    int n = 0;
    for (HeldOutLevel e : HeldOutLevel.values()) {
      n += count(e, l);
    }
    return n;
  }

  double precision(HeldOutLevel l) {
    int r = reported(l);
    return r == 0 ? 1.0 : (double) count(l, l) / r;
  }

  double recall(HeldOutLevel l) {
    int e = expected(l);
    return e == 0 ? 1.0 : (double) count(l, l) / e;
  }

  /** One line per level plus the file accuracy, prefixed with {@code name}. */
  String format(String name) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s: %d files, %d right (%.3f)%n",
            name,
            total,
            correct(),
            total == 0 ? 1.0 : (double) correct() / total));
    for (HeldOutLevel l : HeldOutLevel.values()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "  %-6s expected=%d reported=%d tp=%d precision=%.3f recall=%.3f%n",
              l.label(),
              expected(l),
              reported(l),
              count(l, l),
              precision(l),
              recall(l)));
    }
    sb.append("  confusion (rows expected, columns reported: refuse warn safe)\n");
    for (HeldOutLevel e : HeldOutLevel.values()) {
      sb.append(
          String.format(
              Locale.ROOT,
              "    %-6s %4d %4d %4d%n",
              e.label(),
              count(e, HeldOutLevel.REFUSE),
              count(e, HeldOutLevel.WARN),
              count(e, HeldOutLevel.SAFE)));
    }
    return sb.toString();
  }
}
