package io.dbguard.core.engine;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Bounded retention of the failed (pre-restore) copies a restore keeps for forensics: the order
 * (newest first) and the keep/remove split both engines share. Each engine finds its own copies by
 * exact name and deletes one; see {@link DatabaseEngine#pruneFailedCopies(int)}.
 */
public final class FailedCopies {
  /** Failed copies kept when nothing else is configured: the newest 3. */
  public static final int DEFAULT_KEEP = 3;

  private FailedCopies() {}

  /**
   * One failed copy an engine found.
   *
   * @param name the copy as {@link RestoreResult#keptFailedAs()} names it (absolute file path or
   *     database name)
   * @param stamp the UTC stamp exactly as it appears in the name; stamps of one engine have a fixed
   *     width of digits in most-significant-first order, so text order is time order
   * @param counter the same-second counter the name carries ({@code 2}, {@code 3}, …), or {@code 1}
   *     when it carries none
   */
  public record Copy(String name, String stamp, int counter) {}

  /** Deletes one failed copy. */
  @FunctionalInterface
  public interface Remover {
    /**
     * Deletes the copy named {@code name}.
     *
     * @return {@code null} when it is gone; otherwise one line naming it and saying why it is still
     *     there (no secrets)
     */
    String remove(String name);
  }

  /** Newest first: later stamp, then higher counter, then (for equal both) greater name. */
  public static final Comparator<Copy> NEWEST_FIRST =
      Comparator.comparing(Copy::stamp)
          .thenComparingInt(Copy::counter)
          .thenComparing(Copy::name)
          .reversed();

  /**
   * Checks a retention count.
   *
   * @throws IllegalArgumentException when {@code keep} is less than 1 (the newest failed copy is
   *     always kept: it may be the only record of what the failed migration did)
   */
  public static void requireKeep(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException(
          "the number of failed copies to keep must be at least 1, not " + keep);
    }
  }

  /** The copies sorted {@link #NEWEST_FIRST}. */
  public static List<Copy> newestFirst(Collection<Copy> copies) {
    List<Copy> sorted = new ArrayList<>(copies);
    sorted.sort(NEWEST_FIRST);
    return sorted;
  }

  /**
   * Keeps the newest {@code keep} copies and removes the others, oldest last in the report. A copy
   * {@code remover} cannot delete is reported in {@link FailedCopyPruning#problems()} and the rest
   * go on.
   *
   * @param copies every failed copy of one database (any order)
   * @param keep how many of the newest to keep, at least 1
   * @param remover deletes one copy
   * @throws IllegalArgumentException when {@code keep} is less than 1
   */
  public static FailedCopyPruning prune(Collection<Copy> copies, int keep, Remover remover) {
    requireKeep(keep);
    List<Copy> sorted = newestFirst(copies);
    List<String> kept = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      String name = sorted.get(i).name();
      if (i < keep) {
        kept.add(name);
        continue;
      }
      String problem = remover.remove(name);
      if (problem == null) {
        removed.add(name);
      } else {
        problems.add(problem);
      }
    }
    return new FailedCopyPruning(removed, kept, problems);
  }

  /**
   * Whether {@code text} is a real instant in {@code format} (e.g. no month 13, no February 30).
   *
   * @param format the engine's stamp pattern; must use {@code uuuu} for the year (strict resolving
   *     needs the proleptic year)
   */
  public static boolean isStamp(String text, DateTimeFormatter format) {
    try {
      format.withResolverStyle(ResolverStyle.STRICT).parse(text);
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }
}
