package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.InsertKind;
import java.util.Optional;

/**
 * Reads the commonest data-migration statement, {@code INSERT INTO t [(cols)] VALUES (…), (…) [ON
 * CONFLICT …] [RETURNING …]}, in one pass over its tokens, without the general SQL parser.
 *
 * <p>Why: a data migration is often thousands of such statements or one statement with thousands of
 * rows; the general parser costs about a millisecond per statement and grows faster than linearly
 * with one statement's length, so a few megabytes of inserts took minutes. Anything this reader
 * does not recognise exactly (a {@code SELECT} source, a {@code WITH} prefix, {@code DEFAULT
 * VALUES}, unbalanced parentheses) is left to the general parser, so both paths give the same
 * {@link Operation.Insert}: the target table, {@link InsertKind#IDEMPOTENT} when an {@code ON
 * CONFLICT} (PostgreSQL, SQLite upsert) or {@code ON DUPLICATE KEY UPDATE} clause follows the rows,
 * no source table.
 */
final class InsertValuesReader {

  private InsertValuesReader() {}

  /**
   * The insert of {@code tokens} (positioned at the start of the statement), or empty when the
   * statement is not a plain {@code INSERT … VALUES}.
   *
   * @param orIgnore the statement had {@code OR IGNORE}/{@code OR REPLACE}/{@code IGNORE}, already
   *     stripped by the caller: the insert is idempotent
   */
  static Optional<Operation.Insert> read(SqlTokens tokens, int line, boolean orIgnore) {
    if (!tokens.accept("INSERT", "INTO")) {
      return Optional.empty();
    }
    SqlTokens.Token first = tokens.peek();
    if (first == null || !first.word() || isKeyword(first.upper())) {
      return Optional.empty();
    }
    String table = Names.table(tokens.name());
    if (tokens.peek() != null && tokens.peek().text().equals("(")) {
      if (!skipParenthesised(tokens)) {
        return Optional.empty();
      }
    }
    if (!tokens.accept("VALUES")) {
      return Optional.empty();
    }
    boolean conflict = false;
    int depth = 0;
    while (!tokens.atEnd()) {
      SqlTokens.Token t = tokens.next();
      String text = t.text();
      if (text.equals("(")) {
        depth++;
      } else if (text.equals(")")) {
        depth--;
        if (depth < 0) {
          return Optional.empty();
        }
      } else if (depth == 0 && t.word()) {
        String up = t.upper();
        if (up.equals("ON")) {
          SqlTokens.Token next = tokens.peek();
          String nu = next == null ? "" : next.upper();
          if (nu.equals("CONFLICT") || nu.equals("DUPLICATE")) {
            conflict = true;
            break;
          }
          return Optional.empty();
        }
        if (up.equals("RETURNING")) {
          break;
        }
        if (!up.equals("NULL")
            && !up.equals("DEFAULT")
            && !up.equals("TRUE")
            && !up.equals("FALSE")) {
          return Optional.empty(); // a word between rows: not the simple form
        }
      }
    }
    if (depth != 0 && !conflict) {
      return Optional.empty();
    }
    InsertKind kind = orIgnore || conflict ? InsertKind.IDEMPOTENT : InsertKind.PLAIN;
    return Optional.of(new Operation.Insert(line, table, kind, null));
  }

  private static boolean skipParenthesised(SqlTokens tokens) {
    int depth = 0;
    while (!tokens.atEnd()) {
      String text = tokens.next().text();
      if (text.equals("(")) {
        depth++;
      } else if (text.equals(")")) {
        depth--;
        if (depth == 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isKeyword(String up) {
    return up.equals("SELECT") || up.equals("VALUES") || up.equals("DEFAULT");
  }
}
