package io.dbguard.core.analysis.rules;

import static io.dbguard.core.analysis.rules.Rules.r;
import static io.dbguard.core.analysis.rules.Verdict.NOTICE;
import static io.dbguard.core.analysis.rules.Verdict.REFUSE;
import static io.dbguard.core.analysis.rules.Verdict.WARN;

/**
 * The rules only Django migrations raise ({@code AddField} defaults, {@code RunPython}/{@code
 * RunSQL} reverses, {@code AlterField} whose previous field is unknown); part of {@link Rules}.
 */
final class DjangoRules {

  private DjangoRules() {}

  static final Rule DROPPED_DEFAULT =
      r(
          "DBG220",
          "django-add-field-drops-default",
          REFUSE,
          "Django AddField NOT NULL with a Python-only default",
          "Django adds the column with a DEFAULT and then drops the database default (unless"
              + " the field has `db_default=`), so the running version, which does not know the"
              + " field, inserts rows without the column and fails on NOT NULL during the rollout:"
              + " refused like `ADD COLUMN … NOT NULL` without a default (DBG109, which is also"
              + " what a one-off default with `preserve_default=False` gets). Use `db_default=` (Django 5+) or add the field with"
              + " `null=True` first, deploy, then make it NOT NULL.",
          "dml:NOT_NULL");
  static final Rule RUN_PYTHON =
      r(
          "DBG221",
          "irreversible-data-migration",
          NOTICE,
          "RunPython / RunSQL without a reverse",
          "The data migration cannot be unapplied; dbguard restores from the backup instead of"
              + " migrating back. Provide `reverse_code`/`reverse_sql` (or `noop`).",
          "dml:RUNPYTHON_REVERSIBLE",
          "dml:RUNSQL_REVERSIBLE");
  static final Rule ALTER_UNJUDGED =
      r(
          "DBG224",
          "django-alter-field-unjudged",
          NOTICE,
          "Django AlterField whose previous field is unknown",
          "AlterField restates the whole field, and no earlier migration in the directory declares"
              + " the previous one, so dbguard cannot tell what changes in the database. Most such"
              + " operations change nothing there (blank, verbose_name, help_text, default,"
              + " choices), relax null or widen max_length. (A new field that declares a bigint"
              + " primary key, `db_index=True` or `unique=True` is DBG225 instead, and one with"
              + " `preserve_default=False` that forbids NULL is DBG208.) Lint the migration"
              + " together with the app's earlier migrations (dbguard replays the NNNN_*.py files"
              + " beside it that its `dependencies` lead to, or every earlier one by file name"
              + " when a dependency is missing) to have a real change judged as"
              + " DBG108/DBG209/DBG208/DBG201, or check `manage.py sqlmigrate`. A change from a"
              + " field class that is not Django's (`jsonfield.fields.JSONField`, a project's own"
              + " Field subclass) to one of Django's is judged as `ALTER COLUMN … TYPE` of the new"
              + " field's type with an unknown previous type (DBG108 or DBG209), the SQL Django"
              + " emits when the database type changes (DBG226 for a change to `text`).",
          "dbguard");
  static final Rule ALTER_MAY_LOCK =
      r(
          "DBG225",
          "django-alter-field-may-lock",
          WARN,
          "Django AlterField that may rewrite or index an existing table (previous field unknown)",
          "No earlier migration in the directory declares the previous field, but the new one"
              + " declares something that costs a lock if it is new: a bigint primary key"
              + " (`BigAutoField`, or `BigIntegerField(primary_key=True)`: from an integer key,"
              + " the table and every foreign key column referencing it are rewritten),"
              + " `db_index=True` (an index built without CONCURRENTLY) or `unique=True` (a unique"
              + " index built while writes are blocked). Lint the migration together with the"
              + " app's earlier migrations to have the change judged exactly; build a new index"
              + " with `AddIndexConcurrently` in a non-atomic migration.",
          "dbguard");
}
