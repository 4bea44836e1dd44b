package io.dbguard.core.analysis.rules;

import static io.dbguard.core.analysis.rules.Verdict.NOTICE;
import static io.dbguard.core.analysis.rules.Verdict.REFUSE;
import static io.dbguard.core.analysis.rules.Verdict.WARN;

import java.util.List;
import java.util.Optional;

/**
 * Every lint rule, as data. {@code docs/rules.md} is generated from this table ({@code
 * RulesDocGenerator}); a test fails when the committed page is stale. Sources name the check of
 * squawk, strong_migrations, Atlas ({@code atlas:CODE}) or django-migration-linter ({@code dml:})
 * that covers the same pattern (from each linter's published rule list); {@code dbguard} marks a
 * check none of them has.
 */
public final class Rules {

  private Rules() {}

  public static final Rule DROP_TABLE =
      r(
          "DBG101",
          "drop-table",
          REFUSE,
          "DROP TABLE on an existing table",
          "Dropping a table deletes its rows and breaks every running instance that still reads"
              + " it. Safe alternative: stop using the table in code first, deploy, take a"
              + " backup, then drop it in a later, acknowledged migration.",
          "squawk:ban-drop-table",
          "atlas:DS102",
          "dml:DROP_TABLE");
  public static final Rule DROP_COLUMN =
      r(
          "DBG102",
          "drop-column",
          REFUSE,
          "DROP COLUMN on an existing table",
          "The column's values are lost and old code that selects or writes it fails. A SQLite"
              + " table rebuild whose `INSERT … SELECT` copy does not read a column the old table"
              + " has (declared earlier in the file or by the directory's earlier migrations)"
              + " drops that column the same way, and so does one whose new table has no column of"
              + " that name although the copy reads its values into another column (the running"
              + " version still selects and writes the old name). A generated column (`GENERATED"
              + " ALWAYS AS (…)`, SQLite's `AS (…)`, `VIRTUAL` or `STORED`) of the old table or the"
              + " new one is computed and never inserted, so the copy need not read it; one the new"
              + " table no longer has by name is still dropped for the running version. Safe"
              + " alternative: ignore the column in the model (Rails `ignored_columns`), deploy,"
              + " then drop it in a later acknowledged migration.",
          "squawk:ban-drop-column",
          "strong_migrations:remove_column",
          "atlas:DS103",
          "dml:DROP_COLUMN");
  public static final Rule DROP_SCHEMA =
      r(
          "DBG103",
          "drop-schema-or-database",
          REFUSE,
          "DROP SCHEMA / DROP DATABASE",
          "Drops every object in the schema or the whole database. Never part of a forward"
              + " migration; do it by hand after a verified backup.",
          "squawk:ban-drop-database",
          "atlas:DS101");
  public static final Rule CREATE_TABLE_FORCE =
      r(
          "DBG104",
          "create-table-force",
          REFUSE,
          "create_table with force: drops an existing table",
          "`create_table ..., force: true|:cascade` drops the table first when it exists, losing"
              + " its rows. Remove `force:` (or use `if_not_exists: true`).",
          "strong_migrations:create_table",
          "atlas:DS102");
  public static final Rule RENAME_TABLE =
      r(
          "DBG105",
          "rename-table",
          REFUSE,
          "Renaming a table",
          "Running instances of the old code keep querying the old name and fail until they are"
              + " replaced. Safe alternative: create the new table (or a view with the old name),"
              + " write to both, backfill, move reads, then drop the old one.",
          "squawk:renaming-table",
          "strong_migrations:rename_table",
          "atlas:BC101",
          "dml:RENAME_TABLE");
  public static final Rule RENAME_COLUMN =
      r(
          "DBG106",
          "rename-column",
          REFUSE,
          "Renaming a column",
          "Old code still reads and writes the old column name. Safe alternative: add the new"
              + " column, write to both, backfill, move reads, then drop the old column. Not"
              + " reported when the batch moves the column back: it adds a column of the old name,"
              + " copies the renamed column into it with an `UPDATE` without WHERE (the column"
              + " itself or a cast of it) and drops the renamed column, in that order (see"
              + " DBG222); a missing or scoped copy leaves this refusal and DBG102.",
          "squawk:renaming-column",
          "strong_migrations:rename_column",
          "atlas:BC102",
          "dml:RENAME_COLUMN");
  public static final Rule RENAME_SCHEMA =
      r(
          "DBG107",
          "rename-schema",
          REFUSE,
          "Renaming a schema",
          "Every qualified reference to the schema breaks for running code.",
          "strong_migrations:rename_schema");
  public static final Rule INCOMPATIBLE_TYPE =
      r(
          "DBG108",
          "incompatible-type-change",
          REFUSE,
          "Column type change that can lose data or break readers",
          "A narrowing or converting type change (a USING expression that does more than cast"
              + " the column, text to integer, numeric to integer, integer to numeric(4,1),"
              + " timestamp to date, bounded varchar from an unknown type) can truncate"
              + " or reject values and rewrites the table under an ACCESS EXCLUSIVE lock."
              + " `text` or `varchar` to `json` or `jsonb` without `USING` (SQL, Rails"
              + " `change_column` without `using:`) is here too: PostgreSQL has no assignment"
              + " cast from text to json or jsonb, so the ALTER fails with \"column cannot be cast"
              + " automatically to type jsonb\" on any table, empty or not."
              + " Binary-coercible changes (varchar(n) to text or to a wider varchar, numeric"
              + " precision widening) are exempt, and so is a change to the type the column"
              + " already has (Rails `change_column` that only changes `null:` or `default:`)."
              + " The previous type is read from the file, else from the earlier migrations in"
              + " its directory (SQL files before it, and the SQL files of the sibling version"
              + " directories before its own, such as `v1.7/schema.sql` beside `v1.8/` or"
              + " Prisma's and Diesel's one directory per migration; down and undo files, and a"
              + " `schema.sql`/`structure.sql` dump beside the file, which holds the state after"
              + " it, left out; Rails `db/migrate` files before it, replaying"
              + " `create_table` columns, `add_column`, `change_column`, renames and drops, a"
              + " `string` without `limit:` from a migration written before Rails 4.2 (numbered,"
              + " or a timestamp before 2014-12-20) being `varchar(255)` as Rails then created it;"
              + " for"
              + " the SQL of a Django `RunSQL`, the app's earlier migrations and the operations"
              + " before it in its file: the field whose table (`db_table`, else"
              + " `<app_label>_<model>`) and column (`db_column`, else the field name) match, its"
              + " class mapped to PostgreSQL as Django maps it (`CharField(max_length=n)` to"
              + " varchar(n), `TextField` to text, `JSONField` to jsonb, `DateTimeField` to"
              + " timestamp with time zone, …), or the type an earlier `RunSQL` gave the column"
              + " after the field's last declaration; a custom field class and a `ForeignKey`,"
              + " whose type is the referenced key's, stay unknown; a varchar column of"
              + " django.contrib's own tables that the app does not declare, `auth_user.username`,"
              + " `first_name`, `last_name`, `email`, `auth_group.name`, `auth_permission.name` and"
              + " `codename`, `django_content_type.app_label` and `model`,"
              + " `django_session.session_key`, has the longest length it had in any Django"
              + " version, 150, 150, 150, 254, 150, 255, 100, 100, 100, 40, when the change widens"
              + " it to at least that; a shorter length or another type stays unknown). Inside a"
              + " `DO` block, an `IF EXISTS (SELECT … FROM information_schema.columns` or"
              + " `pg_attribute WHERE …)` around the ALTER whose condition names the table, the"
              + " column and its type with `=` (`character_maximum_length = 7`, `data_type`,"
              + " `udt_name`, `format_type(atttypid, atttypmod)`, `attlen = 2` for smallint) gives"
              + " that type; `NOT EXISTS`, `<>`, an `OR` or an `ELSE` branch give none. When the"
              + " earlier migrations do not declare the column, the file's own reverse direction"
              + " gives the previous type (a type the history knows wins): the last"
              + " `change_column` of the same table and column in Rails `def down` or"
              + " `dir.down`, mapped as the up side's (`precision:`, `scale:`, `limit:`), the"
              + " last `ALTER COLUMN … TYPE` of it in the down section of a goose, dbmate or"
              + " sql-migrate file, or in a Django `RunSQL`'s `reverse_sql`; the message says"
              + " where the type came from (\"previous type from the down method\"), and a"
              + " down that is empty, irreversible, changes another column or gives no literal"
              + " type gives none. Safe"
              + " alternative: add a new column, backfill, switch reads, drop the old column.\n\n"
              + LosslessCasts.TABLE,
          "squawk:changing-column-type",
          "strong_migrations:change_column",
          "atlas:PG301",
          "dml:ALTER_COLUMN");
  public static final Rule ADD_NOT_NULL_NO_DEFAULT =
      r(
          "DBG109",
          "add-column-not-null-without-default",
          REFUSE,
          "ADD COLUMN ... NOT NULL without a default on an existing table",
          "Fails on a table with rows, and old code that inserts without the column fails."
              + " The same holds for a column added nullable earlier in the batch (Rails"
              + " `add_column` then `change_column_null false`, SQL `ADD COLUMN` then `SET NOT"
              + " NULL`, with or without a backfill in between) when no default is set: the running"
              + " version does not know the column, so its inserts fail once it is NOT NULL;"
              + " likewise a column added NOT NULL with a default that the batch then drops"
              + " (`ALTER COLUMN … DROP DEFAULT`, Rails `change_column_default` to `nil`), and one"
              + " added nullable that a new `PRIMARY KEY (…)` then includes (a key's columns are"
              + " NOT NULL). Inside one transaction (a Rails migration without"
              + " `disable_ddl_transaction!`, a SQL file its tool wraps in a transaction or between"
              + " `BEGIN` and `COMMIT`) the column is judged as it is at commit: a default set"
              + " after the NOT NULL in the same transaction (Rails `change_column_default`, SQL"
              + " `ALTER COLUMN … SET DEFAULT`) and not dropped again is there before the running"
              + " version sees the NOT NULL, so its inserts get it (no DBG109); a default set"
              + " after a COMMIT, without a transaction or by a later migration comes too late."
              + " A table rebuild (DBG222, any order) whose new table declares a column NOT NULL"
              + " without a default and whose copy (`INSERT INTO new_t (cols) SELECT …`) does not"
              + " fill it fails the same way on a table with rows (\"NOT NULL constraint failed\");"
              + " a generated, identity or serial column and SQLite's `INTEGER PRIMARY KEY` (the"
              + " rowid) are filled without it, and a copy without a column list fills every"
              + " column in order. A rebuilt table's NOT NULL column without a default that the"
              + " old table did not have (when its columns are known; a copy that reads by name"
              + " a column the history does not know for the old table proves that the old table"
              + " has it, added by a migration dbguard does not read) breaks the running"
              + " version's inserts even when the copy fills it. Safe alternative: add the column with a constant default (or deploy code that"
              + " writes it first), backfill, then enforce NOT NULL with a validated CHECK"
              + " constraint.",
          "squawk:adding-required-field",
          "atlas:MF103",
          "dml:NOT_NULL");
  public static final Rule TRUNCATE =
      r(
          "DBG110",
          "truncate",
          REFUSE,
          "TRUNCATE deletes every row",
          "TRUNCATE (with or without CASCADE) empties the table and, with CASCADE, every table"
              + " referencing it. Never part of a forward migration on existing data.",
          "squawk:ban-truncate-cascade",
          "dbguard");
  public static final Rule DELETE_WITHOUT_WHERE =
      r(
          "DBG111",
          "delete-without-where",
          REFUSE,
          "DELETE (or delete_all/destroy_all) without a real WHERE",
          "Deletes every row. A tautology (`WHERE 1=1`, `WHERE true`) counts as no WHERE."
              + " The ORM forms count too: Rails `delete_all`/`destroy_all` and a block over every"
              + " row that deletes it (`Model.find_each(&:destroy)`, `Model.all.each { |r|"
              + " r.destroy! }`), Django `objects.all().delete()` and a `RunPython` loop over every"
              + " row that calls `r.delete()`; a scoped relation or queryset, or a test of the"
              + " row in the body (`next unless`, `if`), is a real WHERE."
              + " Scope the delete with a real condition, or do it by hand after a backup.",
          "dbguard");
  public static final Rule UPDATE_WITHOUT_WHERE = DataRules.UPDATE_WITHOUT_WHERE;
  public static final Rule RENAME_ENUM_VALUE =
      r(
          "DBG113",
          "rename-enum-value",
          REFUSE,
          "Renaming an enum value (ALTER TYPE ... RENAME VALUE)",
          "PostgreSQL 10+ relabels every row at once, while the running application version"
              + " still reads and writes the old label: its INSERTs fail with `invalid input value"
              + " for enum` and its reads get a label it does not know. Safe alternative: add the"
              + " new value (`ALTER TYPE ... ADD VALUE`), deploy code that writes the new value"
              + " and reads both, backfill rows with batched UPDATEs, then stop using the old"
              + " value (it cannot be dropped without rebuilding the type).",
          "strong_migrations:rename_enum_value",
          "postgresql:sql-altertype");
  public static final Rule RENAME_TYPE =
      r(
          "DBG115",
          "rename-type",
          REFUSE,
          "Renaming a type (ALTER TYPE ... RENAME TO)",
          "Columns keep their type, but every query of the running application version that"
              + " names the type fails: casts such as `$1::\"Role\"` (the Prisma client casts"
              + " every enum parameter this way), functions and SQL that mention it. Not reported"
              + " when the type was created earlier in the batch, or when the old name is created"
              + " again later in the batch (an enum rebuild, judged by DBG114). Safe alternative:"
              + " create the type under the new name, move the columns in a later migration once"
              + " no running code names the old type, then drop it.",
          "dbguard",
          "postgresql:sql-altertype");
  public static final Rule ENUM_VALUE_REMOVED =
      r(
          "DBG114",
          "enum-value-removed",
          REFUSE,
          "Enum type rebuilt without some of its values",
          "PostgreSQL cannot drop an enum value, so removing one means rebuilding the type"
              + " (`ALTER TYPE t RENAME TO t_old; CREATE TYPE t AS ENUM (...); ALTER TABLE ..."
              + " ALTER COLUMN c TYPE t USING c::text::t; DROP TYPE t_old`, or a `t_new` renamed"
              + " to `t`). Any row still holding a removed label makes the `USING` cast fail"
              + " mid-migration, and the running application version keeps writing labels that no"
              + " longer exist. dbguard reports it when the old labels are known from earlier in"
              + " the batch (`CREATE TYPE ... AS ENUM`, `ADD VALUE`); it does not guess otherwise"
              + " (the `ALTER COLUMN ... TYPE ... USING` itself is DBG108). Safe alternative:"
              + " deploy code that no longer writes the label, migrate its rows to another label"
              + " with batched UPDATEs, verify none remain, then rebuild the type.",
          "dbguard",
          "postgresql:datatype-enum");
  public static final Rule CREATE_INDEX =
      r(
          "DBG201",
          "create-index-non-concurrent",
          WARN,
          "CREATE INDEX without CONCURRENTLY on an existing table (PostgreSQL)",
          "Blocks writes to the table for the whole build. Use `CREATE INDEX CONCURRENTLY`"
              + " outside a transaction (Rails: `algorithm: :concurrently` with"
              + " `disable_ddl_transaction!`; Django: `AddIndexConcurrently`, `atomic = False`)."
              + " Not for `ON ONLY t` unless earlier migrations create `t` without `PARTITION BY`:"
              + " on a partitioned table it builds nothing (PostgreSQL manual, \"CREATE INDEX\","
              + " `ONLY`; then `CONCURRENTLY` per partition, `ALTER INDEX … ATTACH PARTITION`).",
          "squawk:require-concurrent-index-creation",
          "strong_migrations:add_index",
          "atlas:PG101",
          "dml:CREATE_INDEX");
  public static final Rule DROP_INDEX =
      r(
          "DBG202",
          "drop-index-non-concurrent",
          WARN,
          "DROP INDEX without CONCURRENTLY, or a UNIQUE / PRIMARY KEY constraint dropped (PostgreSQL)",
          "Takes an ACCESS EXCLUSIVE lock on the table: it waits for every query on the table and"
              + " blocks every later one while it waits. Use `DROP INDEX CONCURRENTLY`. Dropping a"
              + " UNIQUE or PRIMARY KEY constraint drops its index the same way and has no"
              + " concurrent form (`ALTER TABLE … DROP CONSTRAINT`; Django `RemoveConstraint` of a"
              + " `UniqueConstraint`, `AlterUniqueTogether` that removes a group, `AlterField` from"
              + " `unique=True`): first `CREATE UNIQUE INDEX CONCURRENTLY` any replacement, then"
              + " drop the constraint with a short `lock_timeout` (and retry), or keep it. The"
              + " constraint's kind is read from the file and the earlier migrations, else from"
              + " PostgreSQL's default names (`…_key`, `…_pkey`) or Django's (`…_uniq`); a FOREIGN"
              + " KEY or CHECK constraint drops no index and is not reported.",
          "squawk:require-concurrent-index-deletion",
          "strong_migrations:remove_index",
          "atlas:PG102",
          "dml:DROP_INDEX");
  public static final Rule CONCURRENT_IN_TX =
      r(
          "DBG203",
          "concurrently-in-transaction",
          WARN,
          "CONCURRENTLY inside a transaction",
          "PostgreSQL refuses CREATE/DROP INDEX CONCURRENTLY in a transaction block; the"
              + " migration fails. Flyway (mixed files), golang-migrate (multi-statement files),"
              + " goose, dbmate, sql-migrate, Diesel, Rails and Django wrap migrations in a"
              + " transaction unless told not to (`disable_ddl_transaction!`, `atomic = False`,"
              + " one statement per file, `-- +goose NO TRANSACTION`, `-- migrate:up"
              + " transaction:false`, `-- +migrate Up notransaction`, `run_in_transaction = false`"
              + " in Diesel's `metadata.toml`).",
          "squawk:ban-concurrent-index-creation-in-transaction",
          "atlas:PG103");
  public static final Rule CONSTRAINT_NOT_VALID =
      r(
          "DBG204",
          "constraint-without-not-valid",
          WARN,
          "FOREIGN KEY / CHECK constraint added without NOT VALID",
          "Validating the constraint scans the table under a lock that blocks writes (and for"
              + " FKs the referenced table). Add it `NOT VALID` (Rails `validate: false`), then"
              + " `VALIDATE CONSTRAINT` in a separate migration.",
          "squawk:adding-foreign-key-constraint",
          "squawk:constraint-missing-not-valid",
          "strong_migrations:add_foreign_key",
          "strong_migrations:add_check_constraint",
          "atlas:PG305",
          "atlas:PG306");
  public static final Rule UNIQUE_CONSTRAINT =
      r(
          "DBG205",
          "add-unique-constraint",
          WARN,
          "UNIQUE constraint built under a lock",
          "Builds a unique index while blocking writes. Create the unique index CONCURRENTLY,"
              + " then `ADD CONSTRAINT ... UNIQUE USING INDEX`.",
          "squawk:disallowed-unique-constraint",
          "strong_migrations:add_unique_constraint",
          "atlas:PG105",
          "dml:ADD_UNIQUE");
  public static final Rule PRIMARY_KEY =
      r(
          "DBG206",
          "add-primary-key",
          WARN,
          "PRIMARY KEY added to an existing table",
          "Builds an index under an ACCESS EXCLUSIVE lock. Build a unique index concurrently,"
              + " then `ADD PRIMARY KEY USING INDEX`.",
          "squawk:adding-serial-primary-key-field",
          "atlas:PG104");
  public static final Rule VOLATILE_DEFAULT =
      r(
          "DBG207",
          "volatile-default",
          WARN,
          "ADD COLUMN with a volatile default",
          "A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval())"
              + " rewrites the whole table under an ACCESS EXCLUSIVE lock. Add the column"
              + " without a default, set the default, backfill in batches.",
          "squawk:adding-field-with-default",
          "strong_migrations:add_column_default_callable",
          "atlas:PG302");
  public static final Rule SET_NOT_NULL =
      r(
          "DBG208",
          "set-not-null",
          WARN,
          "SET NOT NULL on an existing column",
          "Scans the whole table under an ACCESS EXCLUSIVE lock. Add `CHECK (col IS NOT NULL)"
              + " NOT VALID`, validate it, then SET NOT NULL (PostgreSQL 12+ skips the scan)."
              + " Not reported after that recipe: when a CHECK constraint validated earlier in"
              + " the migration (VALIDATE CONSTRAINT, Rails `validate_check_constraint`, or one"
              + " added without NOT VALID) names the column and `null`, as strong_migrations"
              + " (`<table>_<column>_null`) and squawk (`<column>_not_null`) name it (its"
              + " condition, often in an earlier migration, is not read), or, whatever its"
              + " name, when the migration added it with the condition `col IS NOT NULL`"
              + " (`ADD CONSTRAINT x CHECK (col IS NOT NULL)`, Rails `add_check_constraint :t,"
              + " \"col IS NOT NULL\"`, the online_migrations gem's `add_not_null_constraint :t,"
              + " :col` with `validate_not_null_constraint`) and it is valid before the SET NOT"
              + " NULL. Nor is a SQL SET NOT NULL of a column already NOT NULL, a no-op that does"
              + " not scan: the directory's earlier SQL migrations or the file's earlier"
              + " statements declare it `NOT NULL` (or a primary key, serial or identity column)"
              + " or made it so with SET NOT NULL not undone by DROP NOT NULL (`CREATE TABLE"
              + " notices (…, heading varchar(30) NOT NULL)`, later `ALTER COLUMN heading SET NOT"
              + " NULL`); a column the history does not know is reported.",
          "squawk:adding-not-nullable-field",
          "strong_migrations:change_column_null",
          "atlas:MF104",
          "atlas:PG303",
          "dml:NOT_NULL");
  public static final Rule TYPE_REWRITE =
      r(
          "DBG209",
          "type-change-rewrite",
          WARN,
          "Column type change that rewrites the table (no data loss)",
          "Widening changes such as integer to bigint keep every value but rewrite the table"
              + " under an ACCESS EXCLUSIVE lock; a change whose source type is unknown to"
              + " dbguard lands here when the target can hold any source value (text, bigint,"
              + " unbounded numeric), and so does a change to a bounded varchar from a known type whose"
              + " every value's text form fits it (integer to varchar(11), uuid to varchar(36),"
              + " inet to varchar(49)), and every other cast of a known type that keeps each value"
              + " (date to timestamp or timestamptz, integer to double precision or to"
              + " numeric(12,2), any type to text, also through a `USING` that only casts the"
              + " column; the table is under DBG108; `text` from an unknown type is DBG226)."
              + " `json` to `jsonb` and back is here (assignment casts that keep every value;"
              + " `jsonb` normalises whitespace, key order and duplicate keys), and so is a change"
              + " of a `text` or `varchar` column, or one of unknown type, to `json` or `jsonb`"
              + " through a `USING` that only casts the column to it (`USING body::jsonb`,"
              + " `CAST(body AS jsonb)`, Rails `using: 'body::jsonb'`, Django's `AlterField` from a"
              + " `TextField` or `CharField` to a `JSONField`, which it runs with `USING"
              + " \"body\"::jsonb`): the author declares the column to hold JSON, and the cast"
              + " fails, and the migration with it, on any value that is not valid JSON."
              + " `text` or `varchar` to `citext` is here too:"
              + " the citext extension's casts from them are binary coercible, so the table is"
              + " not rewritten, but every index on the column is rebuilt under the lock (its"
              + " operator class changes) and a unique one fails on values that differ only in"
              + " case (PostgreSQL manual, Appendix F \"citext\"). So is a change that names a"
              + " collation (`TYPE varchar COLLATE \"C\"`) on a type that otherwise needs no"
              + " rewrite: every value is kept, but the column's indexes are rebuilt under the"
              + " lock (PostgreSQL manual, ALTER TABLE). varchar widening and varchar to text"
              + " without `COLLATE` are exempt.",
          "squawk:changing-column-type",
          "strong_migrations:change_column",
          "atlas:PG301");
  public static final Rule REINDEX =
      r(
          "DBG210",
          "reindex-non-concurrent",
          WARN,
          "REINDEX without CONCURRENTLY",
          "Blocks writes (and reads using the index). Use `REINDEX ... CONCURRENTLY`.",
          "squawk:require-concurrent-reindex",
          "dml:REINDEX");
  public static final Rule VACUUM_FULL =
      r(
          "DBG211",
          "vacuum-full-or-cluster",
          WARN,
          "VACUUM FULL / CLUSTER",
          "Rewrites the table under an ACCESS EXCLUSIVE lock. Use pg_repack outside the"
              + " migration.",
          "squawk:prefer-repack");
  public static final Rule VALIDATE_SAME_TX =
      r(
          "DBG212",
          "validate-in-same-transaction",
          WARN,
          "VALIDATE CONSTRAINT in the transaction that added it NOT VALID",
          "The lock taken by ADD CONSTRAINT is held while validation scans the table, which"
              + " defeats NOT VALID. Validate in a separate migration.",
          "squawk:constraint-missing-not-valid",
          "strong_migrations:validate_foreign_key");
  public static final Rule TEXT_FROM_UNKNOWN =
      r(
          "DBG226",
          "type-change-to-text-previous-unknown",
          NOTICE,
          "Column type changed to text from a type dbguard does not know (PostgreSQL)",
          "`ALTER COLUMN … TYPE text` (or unbounded `varchar`, Rails `change_column … :text`)"
              + " keeps every value whatever the previous type. From `varchar` or `char`, the"
              + " change nearly every such migration makes, PostgreSQL neither rewrites the table"
              + " nor rebuilds its indexes (binary coercible; PostgreSQL manual, ALTER TABLE); from"
              + " any other type it rewrites the table under an ACCESS EXCLUSIVE lock (DBG209)."
              + " No earlier migration dbguard read declares the column, so check its current"
              + " type, or lint the file together with the migrations or schema file that create"
              + " it to have the change judged exactly. squawk's `changing-column-type` warns on"
              + " every type change; strong_migrations reads the column's current type from the"
              + " database, which a linter of files cannot: without it, dbguard reports the one"
              + " outcome that can cost a lock as a review item, not a warning.",
          "squawk:changing-column-type",
          "strong_migrations:change_column");
  public static final Rule DROP_NOT_NULL =
      r(
          "DBG213",
          "drop-not-null",
          NOTICE,
          "DROP NOT NULL",
          "Old code may rely on the column never being NULL.",
          "squawk:ban-drop-not-null");
  public static final Rule EXCLUSION =
      r(
          "DBG214",
          "add-exclusion-constraint",
          WARN,
          "Exclusion constraint on an existing table",
          "Builds an index and checks every row while blocking writes; it cannot be added NOT"
              + " VALID.",
          "strong_migrations:add_exclusion_constraint");
  public static final Rule STORED_GENERATED =
      r(
          "DBG215",
          "stored-generated-column",
          WARN,
          "Stored generated column added",
          "Computing the column rewrites the table under an ACCESS EXCLUSIVE lock.",
          "strong_migrations:add_column_generated_stored");
  public static final Rule JSON_COLUMN =
      r(
          "DBG216",
          "json-column",
          NOTICE,
          "json column instead of jsonb",
          "`json` has no equality operator: SELECT DISTINCT and some Rails queries fail. Use"
              + " jsonb.",
          "strong_migrations:add_column_json");
  public static final Rule SERIAL_COLUMN =
      r(
          "DBG217",
          "add-serial-column",
          WARN,
          "serial / auto-increment column added",
          "Filling the sequence rewrites the table under an ACCESS EXCLUSIVE lock.",
          "strong_migrations:add_column_auto_incrementing",
          "squawk:prefer-identity");
  public static final Rule DETACH_PARTITION =
      r(
          "DBG218",
          "detach-partition-non-concurrent",
          WARN,
          "DETACH PARTITION without CONCURRENTLY",
          "Takes an ACCESS EXCLUSIVE lock on the parent. Use `DETACH PARTITION ... CONCURRENTLY`"
              + " (PostgreSQL 14+).",
          "squawk:require-concurrent-partition-detach");
  public static final Rule BACKFILL_IN_DDL_TX =
      r(
          "DBG219",
          "backfill-in-ddl-transaction",
          WARN,
          "UPDATE/DELETE in the same transaction as DDL (PostgreSQL)",
          "Row locks of a backfill are held together with the DDL lock until commit. Backfill in"
              + " batches in a separate, non-transactional step. Django: a scoped ORM update in"
              + " `RunPython` (`M.objects.filter(...).update(...)`, a loop over a filtered queryset"
              + " that assigns and saves) in an atomic migration that also changes the schema."
              + " Not a backfill, and no finding: bumping the application's own schema-version"
              + " row (`UPDATE engine_versions SET version = 4 WHERE type_id = 'escalation'`; the"
              + " version-table exemption of DBG112).",
          "dbguard");
  public static final Rule DJANGO_DROPPED_DEFAULT = DjangoRules.DROPPED_DEFAULT;
  public static final Rule RUN_PYTHON = DjangoRules.RUN_PYTHON;
  public static final Rule TABLE_REBUILD =
      r(
          "DBG222",
          "table-rebuild",
          NOTICE,
          "Table (or SQLite column) rebuilt by copy, drop and rename",
          "The SQLite rebuild procedure (create new table, copy rows, drop old, rename — in"
              + " either order of rename and create) is the documented way to change a SQLite"
              + " table; it keeps data when every column is copied. Renamed away first, the old"
              + " table may be kept as a backup (`ALTER TABLE t RENAME TO t_old`, `CREATE TABLE"
              + " t …`, `INSERT INTO t … SELECT … FROM t_old`, no `DROP TABLE t_old`): the same"
              + " rebuild, judged at the copy as if `t_old` were dropped there, not DBG105. So is its third order, a copy"
              + " aside and back (`CREATE TABLE tmp …` and `INSERT INTO tmp … SELECT … FROM t`, or"
              + " `CREATE [TEMP] TABLE tmp AS SELECT … FROM t`; `DROP TABLE t`; `CREATE TABLE t"
              + " …`; `INSERT INTO t … SELECT … FROM tmp`): a column not copied aside, not copied"
              + " back or absent from the new `t` is DBG102, and without the copy back the drop"
              + " stays DBG101. When the old table's columns"
              + " are known (earlier in the file, from the directory's earlier migrations or from"
              + " those of earlier sibling version directories, as in Prisma's layout), a"
              + " copy that reads every one of them (or `*`) is this notice and a copy that leaves"
              + " one behind is DBG102 per lost column (a generated column, of the old table or the"
              + " new one, needs no copy); when they are not known, check the column list of the"
              + " copy by hand. A copy that reads a column the history does not know for the old"
              + " table (earlier migrations dbguard does not read, such as templated files, or"
              + " removed ones) proves that the old table has that column too (`SELECT *` and the"
              + " rowid prove nothing); a column the history lists and the copy leaves behind"
              + " stays DBG102, as an unread migration may or may not have dropped it. On SQLite a column moved aside and back (`RENAME COLUMN c TO"
              + " c_old`, `ADD COLUMN c …`, `UPDATE t SET c = c_old` without WHERE, or a cast of"
              + " `c_old`, then `DROP COLUMN c_old`, in one batch; or `ADD COLUMN c_new …`,"
              + " `UPDATE t SET c_new = c`, `DROP COLUMN c`, `RENAME COLUMN c_new TO c`) is this"
              + " notice too, at the"
              + " drop, instead of DBG106 and DBG102: check the new definition keeps every value."
              + " A copy reading a column through a `CAST` that can lose values is DBG108 instead:"
              + " text, blob or a date to INTEGER/REAL/NUMERIC keeps a leading number, REAL or"
              + " decimal to INTEGER drops the fraction (SQLite docs, \"CAST expressions\"; an"
              + " unknown source type counts as text on SQLite). A copy whose column list leaves"
              + " out a column the new table declares NOT NULL without a default is DBG109."
              + " A notice: reviewed, not refused.",
          "dbguard");
  public static final Rule FULL_TABLE_BACKFILL = DataRules.FULL_TABLE_BACKFILL;
  public static final Rule DJANGO_ALTER_UNJUDGED = DjangoRules.ALTER_UNJUDGED;
  public static final Rule DJANGO_ALTER_MAY_LOCK = DjangoRules.ALTER_MAY_LOCK;
  public static final Rule SEED_DESTRUCTIVE = SeedRules.DESTRUCTIVE;
  public static final Rule SEED_NOT_IDEMPOTENT = SeedRules.NOT_IDEMPOTENT;
  public static final Rule SEED_UNKNOWN = SeedRules.UNKNOWN;
  public static final Rule UNPARSED = ReviewRules.UNPARSED;
  public static final Rule UNUSED_SUPPRESSION = ReviewRules.UNUSED_SUPPRESSION;

  /** Every rule, in id order. */
  public static final List<Rule> ALL =
      List.of(
          DROP_TABLE,
          DROP_COLUMN,
          DROP_SCHEMA,
          CREATE_TABLE_FORCE,
          RENAME_TABLE,
          RENAME_COLUMN,
          RENAME_SCHEMA,
          INCOMPATIBLE_TYPE,
          ADD_NOT_NULL_NO_DEFAULT,
          TRUNCATE,
          DELETE_WITHOUT_WHERE,
          UPDATE_WITHOUT_WHERE,
          RENAME_ENUM_VALUE,
          ENUM_VALUE_REMOVED,
          RENAME_TYPE,
          CREATE_INDEX,
          DROP_INDEX,
          CONCURRENT_IN_TX,
          CONSTRAINT_NOT_VALID,
          UNIQUE_CONSTRAINT,
          PRIMARY_KEY,
          VOLATILE_DEFAULT,
          SET_NOT_NULL,
          TYPE_REWRITE,
          TEXT_FROM_UNKNOWN,
          REINDEX,
          VACUUM_FULL,
          VALIDATE_SAME_TX,
          DROP_NOT_NULL,
          EXCLUSION,
          STORED_GENERATED,
          JSON_COLUMN,
          SERIAL_COLUMN,
          DETACH_PARTITION,
          BACKFILL_IN_DDL_TX,
          DJANGO_DROPPED_DEFAULT,
          RUN_PYTHON,
          TABLE_REBUILD,
          FULL_TABLE_BACKFILL,
          DJANGO_ALTER_UNJUDGED,
          DJANGO_ALTER_MAY_LOCK,
          SEED_DESTRUCTIVE,
          SEED_NOT_IDEMPOTENT,
          SEED_UNKNOWN,
          UNPARSED,
          UNUSED_SUPPRESSION);

  /** The rule with this id, name or squawk name. */
  public static Optional<Rule> find(String selector) {
    return ALL.stream().filter(r -> r.isSelectedBy(selector)).findFirst();
  }

  /**
   * A rule; used by the rule groups of this package ({@link SeedRules}, {@link ReviewRules}, …).
   */
  static Rule r(
      String id, String name, Verdict v, String summary, String explanation, String... sources) {
    return new Rule(id, name, v, summary, explanation, List.of(sources));
  }
}
