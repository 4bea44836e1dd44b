package io.dbguard.core.analysis.rules;

import static io.dbguard.core.analysis.rules.Rules.r;
import static io.dbguard.core.analysis.rules.Verdict.NOTICE;

/**
 * The review rules (DBG9xx): statements not analysed and suppressions that match nothing; part of
 * {@link Rules}.
 */
final class ReviewRules {

  private ReviewRules() {}

  static final Rule UNPARSED =
      r(
          "DBG901",
          "unparsed-statement",
          NOTICE,
          "Statement dbguard could not parse",
          "The statement was not analysed; review it by hand. dbguard reports it instead of"
              + " guessing. The body of a PL/pgSQL `DO $$ … $$` block is read: its plain SQL"
              + " statements and `EXECUTE` of a string literal are judged like top-level ones (a"
              + " plain insert under an `IF` guard counts as idempotent), and Go-template"
              + " placeholders such as `{{ index .Options \"Namespace\" }}` read as a schema name."
              + " So is the body of a PL/pgSQL or SQL function or procedure the file defines"
              + " (`CREATE FUNCTION patch() … AS $$ … $$ LANGUAGE plpgsql`) and then calls by its"
              + " name, with or without a schema (`SELECT patch();`, `PERFORM patch();`, `CALL"
              + " patch();`): its statements are judged at the first call, at their own lines; a"
              + " routine the file never calls (a trigger function, one the application calls"
              + " later) runs nothing in the migration and is not judged."
              + " SQL run through a string is read too: a string literal that is a whole argument"
              + " of a function call in a `SELECT` or a PL/pgSQL `PERFORM` (`SELECT"
              + " execute($$ CREATE INDEX … $$)`, `SELECT run_ddl('ALTER TABLE …')`) whose text"
              + " is a statement changing schema or rows is judged as that statement, at its own"
              + " line, when all of it parses; arguments of functions that only build or schedule"
              + " text (`format`, `replace`, `quote_literal`, `cron.schedule`, …) and strings"
              + " joined with `||` are not."
              + " The SQL of a Django `RunSQL` (and of `cursor.execute` in its code) is read in"
              + " every literal form: a string in any quoting, implicitly concatenated or joined"
              + " with `+`, a list or tuple of statements or of `(sql, params)` tuples, a name"
              + " assigned earlier in the file, `%`-formatting, `.format()`, `\"sep\".join([…])`,"
              + " `textwrap.dedent` and f-strings; inside it a part that is not literal (an"
              + " f-string field, a format argument or a `+` operand that is neither a literal nor"
              + " a name assigned one earlier in the file) reads as the identifier"
              + " `dbguard_param`, as Ruby `#{…}` does, and `reverse_sql`"
              + " is never judged as what the migration does. What stays here is dynamic SQL"
              + " (`EXECUTE format(…)`, concatenated strings, a `RunSQL` whose SQL has no literal"
              + " part such as a function's result or a file read), `DO` in other languages,"
              + " `CALL` of a procedure the file does not define and statements neither parser"
              + " knows.",
          "dbguard");
  static final Rule UNUSED_SUPPRESSION =
      r(
          "DBG902",
          "unused-suppression",
          NOTICE,
          "Suppression that matched no finding",
          "An ignore comment (or acknowledgement) that suppresses nothing hides the next real"
              + " problem on that line; remove it.",
          "squawk:unused-ignore");
}
