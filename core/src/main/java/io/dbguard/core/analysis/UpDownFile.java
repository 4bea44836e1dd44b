package io.dbguard.core.analysis;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The forward part of a SQL migration file that holds both directions, as goose, dbmate and
 * sql-migrate write them. Only the up section runs when the migration is applied; the down section
 * runs on a rollback and is not what the deploy does, so it is blanked (its lines kept empty, so
 * that line numbers of the up section and of everything after stay those of the file). It is read
 * only for the types its {@code ALTER COLUMN … TYPE} statements give columns back ({@link
 * #downText}), the previous types of the up section's changes.
 *
 * <ul>
 *   <li><b>goose</b> (pressly/goose, "SQL migrations" annotations): {@code -- +goose Up} starts the
 *       forward statements, {@code -- +goose Down} the rollback. goose runs a file in one
 *       transaction unless it carries {@code -- +goose NO TRANSACTION}.
 *   <li><b>dbmate</b> (amacneil/dbmate, "Creating Migrations"): {@code -- migrate:up} and {@code --
 *       migrate:down}; one transaction per migration unless the up line carries {@code
 *       transaction:false}.
 *   <li><b>sql-migrate</b> (rubenv/sql-migrate, README "Writing migrations"): {@code -- +migrate
 *       Up} and {@code -- +migrate Down}, several of each allowed. All Up statements run in one
 *       transaction unless an Up marker carries {@code notransaction} ({@code -- +migrate Up
 *       notransaction}), which turns the transaction off for every Up statement of the file (its
 *       parser keeps one flag per direction); {@code notransaction} on a Down marker concerns only
 *       the rollback.
 * </ul>
 *
 * <p>{@code StatementBegin} / {@code StatementEnd} markers (goose and sql-migrate) are comments to
 * the SQL splitter, which keeps a dollar-quoted or quoted body with its semicolons together.
 */
final class UpDownFile {

  private static final Pattern GOOSE_UP = Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+up\\b");
  private static final Pattern DBMATE_UP = Pattern.compile("(?im)^\\s*--\\s*migrate:up\\b");
  private static final Pattern GOOSE_NO_TX =
      Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+no\\s+transaction\\b");
  private static final Pattern DBMATE_NO_TX =
      Pattern.compile("(?im)^\\s*--\\s*migrate:up\\b.*\\btransaction:false\\b");
  private static final Pattern SQL_MIGRATE_UP =
      Pattern.compile("(?im)^\\s*--\\s*\\+migrate\\s+up\\b");
  private static final Pattern SQL_MIGRATE_NO_TX =
      Pattern.compile("(?im)^\\s*--\\s*\\+migrate\\s+up\\b.*\\bnotransaction\\b");

  /**
   * @param runner {@code goose}, {@code dbmate} or {@code sql-migrate}
   * @param text the file with every line of its down sections emptied (same number of lines)
   * @param inTransaction whether the tool runs the up section inside one transaction
   */
  record Forward(String runner, String text, boolean inTransaction) {}

  private UpDownFile() {}

  /**
   * The forward part of {@code text} when it is a goose, dbmate or sql-migrate file (recognised by
   * its up marker), else empty.
   */
  static Optional<Forward> of(String text) {
    return runner(text)
        .map(
            r ->
                switch (r) {
                  case "goose" ->
                      new Forward(r, blankDown(text, "+goose"), !GOOSE_NO_TX.matcher(text).find());
                  case "sql-migrate" ->
                      new Forward(
                          r, blankDown(text, "+migrate"), !SQL_MIGRATE_NO_TX.matcher(text).find());
                  default ->
                      new Forward(
                          r, blankDown(text, "migrate:"), !DBMATE_NO_TX.matcher(text).find());
                });
  }

  /**
   * {@code goose}, {@code dbmate} or {@code sql-migrate} when {@code text} carries that tool's up
   * marker, else empty: the markers alone, for classifying a file without reading its sections.
   */
  static Optional<String> runner(String text) {
    if (GOOSE_UP.matcher(text).find()) {
      return Optional.of("goose");
    }
    if (SQL_MIGRATE_UP.matcher(text).find()) {
      return Optional.of("sql-migrate");
    }
    return DBMATE_UP.matcher(text).find() ? Optional.of("dbmate") : Optional.empty();
  }

  /** Whether {@code runner} names a tool whose files hold both directions ({@link #of}). */
  static boolean holdsBothDirections(String runner) {
    return runner.equals("goose") || runner.equals("dbmate") || runner.equals("sql-migrate");
  }

  /**
   * The text of a file as it runs forward: its up part when it is a goose, dbmate or sql-migrate
   * file.
   */
  static String forwardText(String text) {
    return of(text).map(Forward::text).orElse(text);
  }

  /**
   * The down sections of a goose, dbmate or sql-migrate file, every other line emptied (same number
   * of lines); empty when {@code text} is not such a file. Read only for the types its {@code ALTER
   * COLUMN … TYPE} statements give columns back, which are the types the up section changes them
   * from.
   */
  static Optional<String> downText(String text) {
    return runner(text)
        .map(
            r ->
                blank(
                    text,
                    switch (r) {
                      case "goose" -> "+goose";
                      case "sql-migrate" -> "+migrate";
                      default -> "migrate:";
                    },
                    false));
  }

  /**
   * Empties the lines of every down section: from a {@code -- <prefix>down} marker line (the marker
   * kept) to the next up marker or the end of the file.
   */
  private static String blankDown(String text, String prefix) {
    return blank(text, prefix, true);
  }

  /**
   * Empties the lines of every down section ({@code down} true) or of everything else, the markers
   * kept.
   */
  private static String blank(String text, String prefix, boolean down) {
    StringBuilder out = new StringBuilder(text.length());
    boolean inDown = false;
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      String line = text.substring(start, end);
      String marker = marker(line, prefix);
      if (marker != null) {
        inDown = marker.startsWith("down");
        out.append(line);
      } else if (inDown == down) {
        out.append(nl < 0 ? "" : "\n");
      } else {
        out.append(line);
      }
      start = end;
    }
    return out.toString();
  }

  /** The word after {@code -- <prefix>} in lower case ({@code up}, {@code down}, …), or null. */
  private static String marker(String line, String prefix) {
    String t = line.strip();
    if (!t.startsWith("--")) {
      return null;
    }
    String rest = t.substring(2).strip().toLowerCase(Locale.ROOT);
    if (!rest.startsWith(prefix)) {
      return null;
    }
    String word = rest.substring(prefix.length()).strip();
    return word.startsWith("up") || word.startsWith("down") ? word : null;
  }
}
