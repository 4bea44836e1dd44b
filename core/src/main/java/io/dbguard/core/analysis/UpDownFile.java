package io.dbguard.core.analysis;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The forward part of a SQL migration file that holds both directions, as goose and dbmate write
 * them. Only the up section runs when the migration is applied; the down section runs on a rollback
 * and is not what the deploy does, so it is blanked (its lines kept empty, so that line numbers of
 * the up section and of everything after stay those of the file).
 *
 * <ul>
 *   <li><b>goose</b> (pressly/goose, "SQL migrations" annotations): {@code -- +goose Up} starts the
 *       forward statements, {@code -- +goose Down} the rollback. goose runs a file in one
 *       transaction unless it carries {@code -- +goose NO TRANSACTION}.
 *   <li><b>dbmate</b> (amacneil/dbmate, "Creating Migrations"): {@code -- migrate:up} and {@code --
 *       migrate:down}; one transaction per migration unless the up line carries {@code
 *       transaction:false}.
 * </ul>
 */
final class UpDownFile {

  private static final Pattern GOOSE_UP = Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+up\\b");
  private static final Pattern DBMATE_UP = Pattern.compile("(?im)^\\s*--\\s*migrate:up\\b");
  private static final Pattern GOOSE_NO_TX =
      Pattern.compile("(?im)^\\s*--\\s*\\+goose\\s+no\\s+transaction\\b");
  private static final Pattern DBMATE_NO_TX =
      Pattern.compile("(?im)^\\s*--\\s*migrate:up\\b.*\\btransaction:false\\b");

  /**
   * @param runner {@code goose} or {@code dbmate}
   * @param text the file with every line of its down sections emptied (same number of lines)
   * @param inTransaction whether the tool runs the up section inside one transaction
   */
  record Forward(String runner, String text, boolean inTransaction) {}

  private UpDownFile() {}

  /**
   * The forward part of {@code text} when it is a goose or dbmate file (recognised by its up
   * marker), else empty.
   */
  static Optional<Forward> of(String text) {
    return runner(text)
        .map(
            r ->
                r.equals("goose")
                    ? new Forward(r, blankDown(text, "+goose"), !GOOSE_NO_TX.matcher(text).find())
                    : new Forward(
                        r, blankDown(text, "migrate:"), !DBMATE_NO_TX.matcher(text).find()));
  }

  /**
   * {@code goose} or {@code dbmate} when {@code text} carries that tool's up marker, else empty:
   * the markers alone, for classifying a file without reading its sections.
   */
  static Optional<String> runner(String text) {
    if (GOOSE_UP.matcher(text).find()) {
      return Optional.of("goose");
    }
    return DBMATE_UP.matcher(text).find() ? Optional.of("dbmate") : Optional.empty();
  }

  /** The text of a file as it runs forward: its up part when it is a goose or dbmate file. */
  static String forwardText(String text) {
    return of(text).map(Forward::text).orElse(text);
  }

  /**
   * Empties the lines of every down section: from a {@code -- <prefix>down} marker line (the marker
   * kept) to the next up marker or the end of the file.
   */
  private static String blankDown(String text, String prefix) {
    StringBuilder out = new StringBuilder(text.length());
    boolean down = false;
    int start = 0;
    while (start < text.length()) {
      int nl = text.indexOf('\n', start);
      int end = nl < 0 ? text.length() : nl + 1;
      String line = text.substring(start, end);
      String marker = marker(line, prefix);
      if (marker != null) {
        down = marker.startsWith("down");
        out.append(line);
      } else if (down) {
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
