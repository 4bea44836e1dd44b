package io.dbguard.core.analysis.rules;

import static io.dbguard.core.analysis.rules.Rules.r;
import static io.dbguard.core.analysis.rules.Verdict.REFUSE;
import static io.dbguard.core.analysis.rules.Verdict.WARN;

/**
 * The rules on data changes a migration makes to every row: an overwrite without a real WHERE
 * (DBG112) and a backfill computed from the row (DBG223); part of {@link Rules}.
 */
final class DataRules {

  private DataRules() {}

  static final Rule UPDATE_WITHOUT_WHERE =
      r(
          "DBG112",
          "update-without-where",
          REFUSE,
          "UPDATE (or update_all) without a real WHERE",
          "Overwrites a column in every row; the previous values are lost. A tautology counts as"
              + " no WHERE, and so does a PostgreSQL `UPDATE … FROM` whose WHERE only joins the"
              + " target to the FROM tables (`WHERE t.id = s.t_id`: every matched row is"
              + " overwritten); a WHERE that also filters (`AND t.c IS NULL`, a condition on a"
              + " FROM table) is a scoped update, and so is a join to a query that keeps some"
              + " rows only (a subquery or `WITH` query with `WHERE` or `HAVING`, or a"
              + " table the migration created from one: `CREATE TEMP TABLE dups AS SELECT … WHERE"
              + " …`). The ORM forms count too: Rails `update_all` (a SQL string argument,"
              + " `update_all(\"a = b\")`, is read as that SQL) and Django"
              + " `objects.update()` on an unfiltered queryset, and a Django `RunPython` loop over"
              + " every row (`for r in M.objects.all():`, `.iterator()`, a variable holding such a"
              + " queryset) that assigns attributes and saves them (`r.save()` or a later"
              + " `bulk_update`), also when the assignment sits inside `try` or `with`, and a"
              + " loop over such a queryset's ids that builds `M(id=pk, field=value)` objects for a"
              + " `bulk_update` (an `if len(batch) >= n:` flush tests no row). A filtered"
              + " queryset (`.filter()`, `.exclude()`, a slice) or a loop body that tests each row"
              + " (`if`, `continue`, `break`) is an UPDATE with a real WHERE, judged as that SQL"
              + " is (DBG219 in a migration that also changes the schema); a variable holding a"
              + " queryset counts as the queryset (`qs = M.objects.all()` then `qs.update(...)`),"
              + " a model's custom manager as its rows (`M.visible.all()`), and a save through a"
              + " helper (`save_quietly(r)`) as a save. A filter that only skips rows whose"
              + " overwritten column already holds nothing to lose (SQL `SET c = '' WHERE c <>"
              + " ''`, `SET c = NULL WHERE c IS NOT NULL`, Django `if r.c:` around `r.c = \"\"`)"
              + " scopes nothing."
              + " A Rails block over every row (`Model.find_each do |r|`, `Model.all.each`) that"
              + " writes the row (`r.update!(c: v)`, `update_columns`, `update_column(:c, v)`, or"
              + " `r.c = v` then `r.save`) is read the same way, a `.where(…)` before it or a"
              + " `next`/`if`/`unless` in its body scoping it; `where.not(c: nil)` on the column it"
              + " overwrites skips only rows with nothing to lose and scopes nothing. A value"
              + " computed from the very column it replaces by a function or method (`lower(c)`,"
              + " `TRIM(c)`, `c & 1`, `r.name.strip`, Django `r.code = make_hash(r.code)`) is an"
              + " in-place transformation and counts as an overwrite, and so does scaling it in"
              + " place (`SET seen = seen * 1000`: a unit the running version does not read; a"
              + " shift such as `n + 1` stays a backfill), in Django too (`update(seen=F(\"seen\")"
              + " * 1000)`, also with `Decimal` or in `ExpressionWrapper`, and a loop's `r.seen ="
              + " r.seen * 1000`). Removing from a JSON value in place is one too"
              + " (`json_remove(c, …)`, `c - 'key'`, `c #- '{a}'`, a `json_patch` that sets a key"
              + " to null), while adding keys to it is a backfill (DBG223). Not application data,"
              + " and"
              + " no finding: a SQL `UPDATE` of a table that keeps the application's own schema"
              + " version (`schema_version`, `schema_info`, or an `…_version` or `…_versions`"
              + " table) that sets only columns named for the version, the table's name naming"
              + " the schema or the software (`schema`, `db`, `database`, `migration`, `engine`)"
              + " or every such column naming the schema (`UPDATE schema_version SET version ="
              + " 16`, `UPDATE app_version SET schema_version = 16`, `UPDATE"
              + " engine_processing_versions SET version = 4 WHERE type_id = 'escalation'`, scoped"
              + " or not and also beside DDL, where it is no DBG219 either; `UPDATE"
              + " document_version SET version = 1` stays DBG112)."
              + " Scope it, or backfill in batches from a background job.",
          "dbguard");
  static final Rule FULL_TABLE_BACKFILL =
      r(
          "DBG223",
          "full-table-backfill",
          WARN,
          "UPDATE of every row with values computed from the row, a backfill (PostgreSQL)",
          "Every row is rewritten and row-locked until commit, and the table bloats; no value is"
              + " lost because each new value is computed from the row's own columns. Backfill in"
              + " batches outside the DDL transaction. (An UPDATE that sets constants, NULL, a"
              + " sub-select or a lossy function of the row is DBG112, and so is one that replaces"
              + " a column with a function of itself, such as `SET email = lower(email)` or `SET n"
              + " = n / 2`, unless the function keeps the value whole, such as `||` or"
              + " `array_append`, or adds keys to the column's own JSON value: `SET settings ="
              + " json_set(settings, '$.k', 1)`, also `json_insert`, `json_patch`, `jsonb_set`,"
              + " `jsonb_insert`, `settings || '{\"k\":1}'::jsonb` or `settings ||"
              + " jsonb_build_object(…)`; on SQLite such a backfill has no finding.) A PostgreSQL `UPDATE … FROM` whose WHERE only joins the"
              + " target to the FROM tables and whose values are read from the joined rows (`SET"
              + " c = s.x FROM s WHERE t.id = s.t_id`) is a backfill of every matched row too."
              + " So is an UPDATE that sets only columns added earlier in the same migration"
              + " (batch), whatever the value: they hold nothing but their default or NULL (not"
              + " after `ADD COLUMN IF NOT EXISTS`, where the column may already hold values;"
              + " Rails `update_all(col: …)` and Django `update(col=…)` count by their keys), and"
              + " `SET c = COALESCE(c, …)`, which changes only the rows where `c` is NULL; and so"
              + " is the `UPDATE` that copies a column moved aside back into its re-added"
              + " namesake, a cast included (see DBG106). A Rails migration that fills, in"
              + " every row, only columns the directory's immediately preceding migration added"
              + " without a default is the second step of the add-backfill-NOT NULL recipe and"
              + " lands here too (values the application wrote since that migration ran are"
              + " overwritten: the finding says so). In Rails code: a row loop (`find_each`)"
              + " writing values read from other columns of the row, or recounting each row's"
              + " counter cache (`Model.reset_counters(r.id, :visits)`). In Django code:"
              + " `objects.update()` whose every value is an `F()` expression (one that scales the"
              + " column it sets in place is DBG112), or a loop over"
              + " every row whose assignments all read the row itself, directly or through a"
              + " local computed from it (`latest = r.visits.latest(\"at\")`), or that writes"
              + " other rows from each row: a related manager (`r.actions.update(org=r.org)`,"
              + " also `.all().update(…)`; the finding names the rows of `r.actions` when the"
              + " related table is not known), `Other.objects.filter(parent=r).update(…)` or"
              + " `M.objects.filter(pk=r.pk).update(…)`. Batching does not scope it: the same"
              + " loop inside a batch of an unfiltered queryset (`for batch in chunks(qs, 1000):"
              + " for r in batch:`, `more_itertools.chunked`, `Paginator(qs, 500)` pages, a"
              + " generator of the file), in `transaction.atomic()` or over `.iterator(chunk_size="
              + "…)`, and a filter only on the field being filled (`filter(f__isnull=True)`) or"
              + " only on the row of an enclosing loop over every row (`for c in"
              + " Child.objects.filter(parent=p):`, `for c in p.children.all():`) leaves out no"
              + " row.",
          "dbguard");
}
