package io.dbguard.core.analysis.model;

import java.util.List;

/**
 * An in-file suppression: {@code -- dbguard:ignore DBG102 reason}, {@code # dbguard:ignore …},
 * {@code -- squawk-ignore rule-a, rule-b}, {@code -- squawk-ignore-file}, a Rails {@code
 * safety_assured} block, or Django's {@code IgnoreMigration()}.
 *
 * @param line 1-based line of the comment (or block start)
 * @param endLine last line covered: same as {@code line} for a comment (which also covers the next
 *     statement), the block's {@code end} for {@code safety_assured}, {@code Integer.MAX_VALUE} for
 *     whole-file suppressions
 * @param selectors rule ids, dbguard names or squawk names; empty = every rule
 * @param origin {@code dbguard:ignore}, {@code squawk-ignore}, {@code squawk-ignore-file}, {@code
 *     safety_assured}, {@code IgnoreMigration}
 * @param reason free text after the rule list, may be empty
 */
public record Suppression(
    int line, int endLine, List<String> selectors, String origin, String reason) {

  /** Whether the suppression covers the whole file. */
  public boolean wholeFile() {
    return endLine == Integer.MAX_VALUE;
  }
}
