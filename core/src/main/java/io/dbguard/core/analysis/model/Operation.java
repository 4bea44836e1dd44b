package io.dbguard.core.analysis.model;

import java.util.List;
import java.util.Map;

/**
 * The one operation model every front end (SQL, Rails, Django, seeds) produces and every rule
 * reads. Names are unquoted, lower-case, without schema ({@link Names#table}). {@code line} is the
 * 1-based line in the source file where the operation starts.
 */
public sealed interface Operation {

  /** 1-based source line. */
  int line();

  /** Whether a WHERE clause restricts the rows. */
  enum Where {
    /** No WHERE at all (or an unscoped ORM call such as {@code User.delete_all}). */
    NONE,
    /**
     * A WHERE that is always true ({@code 1=1}, {@code true}, {@code 'a'='a'}, {@code 1}), or one
     * that only skips the rows where the column being set already holds the new value, nothing or
     * NULL ({@code SET c = '' WHERE c <> ''}): every value is overwritten all the same.
     */
    TAUTOLOGY,
    /**
     * A PostgreSQL {@code UPDATE … FROM} whose WHERE only joins the target to the FROM tables
     * ({@code WHERE t.id = s.t_id}): every target row that has a match is touched.
     */
    JOIN_ONLY,
    /** A real condition. */
    REAL
  }

  /** How an INSERT / ORM create behaves when the row already exists. */
  enum InsertKind {
    /** Plain INSERT / create!: duplicates or fails on re-run. */
    PLAIN,
    /** ON CONFLICT DO NOTHING/UPDATE, INSERT OR IGNORE/REPLACE, WHERE NOT EXISTS, MERGE. */
    IDEMPOTENT,
    /**
     * The rows a {@code CREATE TABLE … AS SELECT … FROM t} fills its new table with: a copy of
     * {@code t}, not an insert a seed repeats.
     */
    TABLE_QUERY
  }

  /** Kinds of table constraints. */
  enum ConstraintKind {
    FOREIGN_KEY,
    CHECK,
    UNIQUE,
    PRIMARY_KEY,
    EXCLUDE,
    OTHER
  }

  /** What a seed-level ORM call does ({@code find_or_create_by}, {@code create!}, …). */
  enum SeedEffect {
    IDEMPOTENT,
    NON_IDEMPOTENT,
    DESTRUCTIVE,
    /** Delegates to code outside the file ({@code Language.load}). */
    DELEGATED,
    /** A guard clause that stops the file when data exists ({@code return if User.exists?}). */
    GUARD
  }

  /**
   * @param columns the declared columns (lower case), in order; empty when unknown
   * @param generated those of {@code columns} declared {@code GENERATED ALWAYS AS (…)} or {@code AS
   *     (…)} (a generated column, {@code VIRTUAL} or {@code STORED}; not an identity column)
   * @param partitioned declared {@code PARTITION BY …} (PostgreSQL manual, "CREATE TABLE"): a
   *     partitioned table, which holds no rows itself
   */
  /**
   * @param columns the declared column names (lower case), empty when unknown
   * @param generated the names among {@code columns} of generated columns
   * @param partitioned declared {@code PARTITION BY}
   * @param required the names among {@code columns} that an {@code INSERT} must supply: declared
   *     {@code NOT NULL} without a {@code DEFAULT}, neither generated nor an identity or serial
   *     column, nor SQLite's {@code INTEGER PRIMARY KEY} (the rowid, filled automatically)
   * @param notNull the names among {@code columns} that cannot hold NULL: declared {@code NOT
   *     NULL}, a primary key's, serial and identity columns
   */
  record CreateTable(
      int line,
      String table,
      boolean force,
      List<String> columns,
      List<String> generated,
      boolean partitioned,
      List<String> required,
      List<String> notNull)
      implements Operation {
    /** A table none of whose columns is known to be NOT NULL. */
    public CreateTable(
        int line,
        String table,
        boolean force,
        List<String> columns,
        List<String> generated,
        boolean partitioned,
        List<String> required) {
      this(line, table, force, columns, generated, partitioned, required, List.of());
    }

    /** A table none of whose columns is known to require a value. */
    public CreateTable(
        int line,
        String table,
        boolean force,
        List<String> columns,
        List<String> generated,
        boolean partitioned) {
      this(line, table, force, columns, generated, partitioned, List.of());
    }

    /** A table that is not declared partitioned. */
    public CreateTable(
        int line, String table, boolean force, List<String> columns, List<String> generated) {
      this(line, table, force, columns, generated, false);
    }

    /** A table none of whose columns is known to be generated. */
    public CreateTable(int line, String table, boolean force, List<String> columns) {
      this(line, table, force, columns, List.of());
    }
  }

  /**
   * A table this file creates from a query that selects some rows only ({@code CREATE TEMP TABLE
   * dups AS SELECT … WHERE …}, with {@code WHERE} or {@code HAVING}): an {@code UPDATE … FROM} that
   * only joins to it touches the selected rows, not every row.
   */
  record SelectedRows(int line, String table) implements Operation {}

  /**
   * A column the directory's immediately preceding migration added to an existing table, nullable
   * and without a default ({@code migration}: that file's name). Not an operation of the file: the
   * history's note, so that a fill of it in every row — the second step of the recipe that adds a
   * column, then backfills it, then sets NOT NULL — is judged as a backfill of a new column, not an
   * overwrite of established values.
   */
  record AddedByPrevious(int line, String table, String column, String migration)
      implements Operation {}

  record DropTable(int line, String table) implements Operation {}

  record DropSchema(int line, String name, String kind) implements Operation {}

  record RenameTable(int line, String table, String newName) implements Operation {}

  record RenameSchema(int line, String name, String newName) implements Operation {}

  record RenameColumn(int line, String table, String column, String newName) implements Operation {}

  record DropColumn(int line, String table, String column) implements Operation {}

  /**
   * @param type SQL type as written (lower case), {@code null} when unknown
   * @param defaultExpr the default expression text, {@code null} when none
   * @param ifNotExists {@code ADD COLUMN IF NOT EXISTS}: the column may already exist with values
   * @param generatedStored a {@code GENERATED ALWAYS AS (…) STORED} column
   * @param generated a generated column, {@code STORED} or {@code VIRTUAL} ({@code GENERATED ALWAYS
   *     AS (…)}, SQLite's {@code AS (…)}); not an identity column
   */
  record AddColumn(
      int line,
      String table,
      String column,
      String type,
      boolean notNull,
      String defaultExpr,
      boolean generatedStored,
      boolean ifNotExists,
      boolean generated)
      implements Operation {
    /**
     * A column that does not exist before (no {@code IF NOT EXISTS}) and is generated exactly when
     * it is a stored generated column.
     */
    public AddColumn(
        int line,
        String table,
        String column,
        String type,
        boolean notNull,
        String defaultExpr,
        boolean generatedStored) {
      this(
          line, table, column, type, notNull, defaultExpr, generatedStored, false, generatedStored);
    }
  }

  /**
   * @param oldType the previous type when known, else {@code null}
   * @param newType the target type, lower case, e.g. {@code varchar(200)}
   * @param using the text of an explicit {@code USING} expression ({@code id::text}), {@code ""}
   *     when one is given but not read, {@code null} when there is none
   * @param declaredOnly the front end only knows the declared field (Django {@code AlterField}),
   *     which often equals the current type: at most a warning
   * @param collation the collation named by {@code COLLATE} after the type, as written ({@code
   *     "C"}), {@code null} when none is given
   * @param oldTypeFrom where {@code oldType} was read when not from the migrations before it nor
   *     from the statement itself ({@code "the down method"}), else {@code null}
   */
  record ChangeColumnType(
      int line,
      String table,
      String column,
      String oldType,
      String newType,
      String using,
      boolean declaredOnly,
      String collation,
      String oldTypeFrom)
      implements Operation {

    /** A type change whose previous type, when known, is from the history or the statement. */
    public ChangeColumnType(
        int line,
        String table,
        String column,
        String oldType,
        String newType,
        String using,
        boolean declaredOnly,
        String collation) {
      this(line, table, column, oldType, newType, using, declaredOnly, collation, null);
    }

    /** A type change that names no collation. */
    public ChangeColumnType(
        int line,
        String table,
        String column,
        String oldType,
        String newType,
        String using,
        boolean declaredOnly) {
      this(line, table, column, oldType, newType, using, declaredOnly, null);
    }

    /** This change with the column's previous type {@code previous}, everything else kept. */
    public ChangeColumnType withOldType(String previous) {
      return new ChangeColumnType(
          line, table, column, previous, newType, using, declaredOnly, collation, null);
    }

    /**
     * This change with the previous type {@code previous} read from the same migration's reverse
     * direction, named by {@code from} ({@code "the down method"}) in the finding.
     */
    public ChangeColumnType withOldTypeFrom(String previous, String from) {
      return new ChangeColumnType(
          line, table, column, previous, newType, using, declaredOnly, collation, from);
    }
  }

  record SetNotNull(int line, String table, String column) implements Operation {}

  /**
   * A Django {@code AlterField} whose previous field is unknown, where the new field alone shows
   * that the database may be rewritten or an index built (a bigint primary key, {@code
   * db_index=True}, {@code unique=True}).
   *
   * @param why what the new field declares and what it costs if the previous field differed
   */
  record DjangoAlterMayLock(int line, String table, String column, String why)
      implements Operation {}

  /** {@code ALTER COLUMN … SET DEFAULT} (Rails {@code change_column_default}): catalog-only. */
  record SetDefault(int line, String table, String column) implements Operation {}

  record DropNotNull(int line, String table, String column) implements Operation {}

  /**
   * {@code ALTER COLUMN … DROP DEFAULT} (Rails {@code change_column_default} to {@code nil}):
   * catalog-only, but a NOT NULL column added in the same batch then has no default the running
   * version's inserts could fall back on.
   */
  record DropDefault(int line, String table, String column) implements Operation {}

  /**
   * A column made NOT NULL as a side effect: a column of {@code ADD PRIMARY KEY (…)} (PostgreSQL
   * manual, "CREATE TABLE": a primary key's columns are marked NOT NULL).
   */
  record ImpliedNotNull(int line, String table, String column) implements Operation {}

  /**
   * @param onlyParent {@code CREATE INDEX … ON ONLY t} on a table not known to be a plain table: on
   *     a partitioned table it builds no index data, only an invalid index on the parent, which
   *     {@code CREATE INDEX CONCURRENTLY} on each partition and {@code ALTER INDEX … ATTACH
   *     PARTITION} complete (PostgreSQL manual, "CREATE INDEX", parameter {@code ONLY})
   */
  record CreateIndex(
      int line, String table, String name, boolean unique, boolean concurrently, boolean onlyParent)
      implements Operation {
    /** An index built on the whole table (no {@code ONLY}). */
    public CreateIndex(int line, String table, String name, boolean unique, boolean concurrently) {
      this(line, table, name, unique, concurrently, false);
    }
  }

  record DropIndex(int line, String name, boolean concurrently) implements Operation {}

  record Reindex(int line, boolean concurrently) implements Operation {}

  /** VACUUM FULL or CLUSTER. */
  record RewriteTable(int line, String what) implements Operation {}

  /**
   * {@code ADD CONSTRAINT} (Rails {@code add_check_constraint}, {@code add_foreign_key}, the
   * online_migrations gem's {@code add_not_null_constraint} …).
   *
   * @param notNullColumn for a CHECK whose whole condition is {@code col IS NOT NULL}, that column
   *     (lower case); else {@code null}
   */
  record AddConstraint(
      int line,
      String table,
      String name,
      ConstraintKind kind,
      boolean notValid,
      boolean usingIndex,
      String notNullColumn)
      implements Operation {
    /** A constraint whose condition is not read as a column's {@code IS NOT NULL}. */
    public AddConstraint(
        int line,
        String table,
        String name,
        ConstraintKind kind,
        boolean notValid,
        boolean usingIndex) {
      this(line, table, name, kind, notValid, usingIndex, null);
    }
  }

  record ValidateConstraint(int line, String table, String name) implements Operation {}

  /**
   * {@code ALTER TABLE t DROP CONSTRAINT [IF EXISTS] c} (Django {@code RemoveConstraint}, {@code
   * AlterUniqueTogether} or {@code AlterField} that removes a unique constraint).
   *
   * @param name the constraint's name (lower case), or a description when it has none ({@code
   *     unique_together (a, b)}); {@code null} when unknown
   * @param kind its kind as the file's earlier statements or the earlier migrations declare it,
   *     {@code null} when they do not say
   */
  record DropConstraint(int line, String table, String name, ConstraintKind kind)
      implements Operation {}

  record DetachPartition(int line, String table, boolean concurrently) implements Operation {}

  /**
   * {@code ALTER TYPE t RENAME VALUE 'old' TO 'new'} (Rails {@code rename_enum_value}).
   *
   * @param oldLabel the label renamed, as written (case kept), {@code null} when unknown
   * @param newLabel its new text, {@code null} when unknown
   */
  record RenameEnumValue(int line, String type, String oldLabel, String newLabel)
      implements Operation {}

  /**
   * {@code CREATE TYPE t AS ENUM ('a', 'b')}.
   *
   * @param labels the labels in declaration order, as written (case kept)
   */
  record CreateEnum(int line, String type, List<String> labels) implements Operation {}

  /**
   * {@code ALTER TYPE t ADD VALUE [IF NOT EXISTS] 'x' [BEFORE|AFTER 'y']}.
   *
   * @param position {@code BEFORE 'y'} / {@code AFTER 'y'} as written, {@code null} at the end
   */
  record AddEnumValue(int line, String type, String label, String position) implements Operation {}

  /** {@code ALTER TYPE t RENAME TO u} (any type: enum, composite, domain). */
  record RenameType(int line, String type, String newName) implements Operation {}

  /** {@code DROP TYPE [IF EXISTS] a, b}. */
  record DropType(int line, List<String> types) implements Operation {}

  record Truncate(int line, List<String> tables) implements Operation {}

  /**
   * @param orm the ORM call text when it came from code ({@code User.delete_all}), else null
   */
  record Delete(int line, String table, Where where, String orm) implements Operation {}

  /**
   * @param orm the ORM call text when it came from code ({@code User.update_all}), else null
   * @param backfill every new value is computed from the row's own columns (a backfill such as
   *     {@code SET total = price * qty}), not a constant or a lossy function of the row: it
   *     rewrites every row but loses no data
   * @param columns the columns it sets (lower case), {@code null} when not known
   * @param copies the SET assignments whose value is a column of the updated table itself or a
   *     {@code CAST} of one: target column → source column (lower case); empty when none or not
   *     known
   * @param joined for a {@link Where#JOIN_ONLY} update, the tables of its FROM list (lower case,
   *     without schema); empty otherwise. A join to a table this file filled with selected rows
   *     ({@link SelectedRows}) touches only those rows.
   * @param casts the SET assignments whose value is a {@code CAST} of a column (target column → the
   *     cast), for a column moved aside and copied back; empty when none or not known
   */
  record Update(
      int line,
      String table,
      Where where,
      String orm,
      boolean backfill,
      List<String> columns,
      Map<String, String> copies,
      List<String> joined,
      Map<String, CastCopy> casts)
      implements Operation {
    /** An update whose values are not casts of columns. */
    public Update(
        int line,
        String table,
        Where where,
        String orm,
        boolean backfill,
        List<String> columns,
        Map<String, String> copies,
        List<String> joined) {
      this(line, table, where, orm, backfill, columns, copies, joined, Map.of());
    }

    /** An update that is not joined to FROM tables. */
    public Update(
        int line,
        String table,
        Where where,
        String orm,
        boolean backfill,
        List<String> columns,
        Map<String, String> copies) {
      this(line, table, where, orm, backfill, columns, copies, List.of());
    }

    /** The same update with its WHERE judged {@code where}. */
    public Update withWhere(Where where) {
      return new Update(line, table, where, orm, backfill, columns, copies, joined, casts);
    }

    /** An update whose copies of one column into another are not known. */
    public Update(
        int line, String table, Where where, String orm, boolean backfill, List<String> columns) {
      this(line, table, where, orm, backfill, columns, Map.of());
    }

    /** An update whose set columns are not known. */
    public Update(int line, String table, Where where, String orm, boolean backfill) {
      this(line, table, where, orm, backfill, null, Map.of());
    }

    /** An update whose values are not known to be derived from the row. */
    public Update(int line, String table, Where where, String orm) {
      this(line, table, where, orm, false, null, Map.of());
    }
  }

  /**
   * A column read through {@code CAST} ({@code CAST(c AS INTEGER)}, {@code c::integer}) by a copy
   * of rows or values.
   *
   * @param column the source column (lower case, without qualifier)
   * @param sourceType the column's declared type (normalised, lower case) when known from the file
   *     or the earlier migrations of its directory, {@code ""} when declared without a type, else
   *     {@code null}
   * @param castTypes the types cast to, innermost (applied first) first, as written
   */
  record CastCopy(String column, String sourceType, List<String> castTypes) {
    /** The same cast with the source column's declared type {@code type}. */
    public CastCopy withSourceType(String type) {
      return new CastCopy(column, type, castTypes);
    }

    /** The cast as SQL text: {@code CAST(weight AS INTEGER)}. */
    public String text() {
      String s = column;
      for (String t : castTypes) {
        s = "CAST(" + s + " AS " + t + ")";
      }
      return s;
    }
  }

  /**
   * @param sourceTable for INSERT … SELECT … FROM t: {@code t}, else {@code null}
   * @param copiedColumns the columns of {@code sourceTable} the SELECT list reads (lower case; a
   *     column inside an expression counts), {@code ["*"]} for {@code SELECT *}, {@code null} when
   *     unknown
   * @param sourceColumns every column {@code sourceTable} is known to have at this point (from
   *     CREATE TABLE / ADD COLUMN earlier in the file or in earlier migrations of the directory),
   *     {@code null} when unknown
   * @param generatedColumns the names among {@code sourceColumns} that are generated columns of
   *     {@code sourceTable} or of {@code table} (computed, never inserted): a copy need not read
   *     them
   * @param casts the SELECT items that are a {@code CAST} of a column of {@code sourceTable}, in
   *     order; empty when none or not known
   * @param targetColumns the column list of {@code table} the insert names ({@code INSERT INTO t
   *     (a, b) …}, lower case), {@code null} when it names none (every column, in order)
   */
  record Insert(
      int line,
      String table,
      InsertKind kind,
      String sourceTable,
      List<String> copiedColumns,
      List<String> sourceColumns,
      List<String> generatedColumns,
      List<CastCopy> casts,
      List<String> targetColumns)
      implements Operation {
    /** An insert that names no target columns. */
    public Insert(
        int line,
        String table,
        InsertKind kind,
        String sourceTable,
        List<String> copiedColumns,
        List<String> sourceColumns,
        List<String> generatedColumns,
        List<CastCopy> casts) {
      this(
          line,
          table,
          kind,
          sourceTable,
          copiedColumns,
          sourceColumns,
          generatedColumns,
          casts,
          null);
    }

    /** An insert none of whose SELECT items is known to be a cast of a column. */
    public Insert(
        int line,
        String table,
        InsertKind kind,
        String sourceTable,
        List<String> copiedColumns,
        List<String> sourceColumns,
        List<String> generatedColumns) {
      this(
          line,
          table,
          kind,
          sourceTable,
          copiedColumns,
          sourceColumns,
          generatedColumns,
          List.of());
    }

    /** An insert whose copied columns are not known. */
    public Insert(int line, String table, InsertKind kind, String sourceTable) {
      this(line, table, kind, sourceTable, null, null, List.of(), List.of());
    }

    /** An insert none of whose source columns is known to be generated. */
    public Insert(
        int line,
        String table,
        InsertKind kind,
        String sourceTable,
        List<String> copiedColumns,
        List<String> sourceColumns) {
      this(line, table, kind, sourceTable, copiedColumns, sourceColumns, List.of(), List.of());
    }

    /**
     * The known columns of the source table this insert does not read and that are not generated
     * (in the source or the target table), else empty.
     */
    public List<String> uncopiedColumns() {
      if (copiedColumns == null || sourceColumns == null || copiedColumns.contains("*")) {
        return List.of();
      }
      return sourceColumns.stream()
          .filter(c -> !copiedColumns.contains(c) && !generatedColumns.contains(c))
          .toList();
    }
  }

  /**
   * Django's AddField of a NOT NULL column with a Python-side default: the database default is
   * dropped right after the column is added.
   */
  record DefaultDroppedAfterAdd(int line, String table, String column) implements Operation {}

  /** BEGIN/START TRANSACTION ({@code begin=true}) or COMMIT/ROLLBACK/END. */
  record Transaction(int line, boolean begin) implements Operation {}

  /** A statement no parser understood; reported, never guessed. */
  record Unparsed(int line, String text, String reason) implements Operation {}

  /** A framework data-migration step (RunPython, RunSQL) and whether it can be reversed. */
  record DataMigration(int line, String kind, boolean reversible) implements Operation {}

  /**
   * A seed loads another file ({@code load "db/seeds/x.rb"}, {@code require_relative "x"}, {@code
   * Dir[Rails.root.join("db/seeds/*.rb")].each { |f| load f }}); the analyzer follows it when the
   * file exists, else it counts as delegation.
   *
   * @param pattern path or glob as written
   * @param relativeToFile {@code require_relative}: resolved against the loading file's directory;
   *     otherwise against the application root (the directory holding {@code db/})
   * @param guarded the load runs only when a test found the rows missing ({@code if not
   *     X.objects.filter(…).exists():}, the {@code else} of {@code if X….exists():}): what it
   *     creates is not created again on a rerun
   */
  record LoadFile(int line, String pattern, boolean relativeToFile, String text, boolean guarded)
      implements Operation {

    /** A load that runs unconditionally. */
    public LoadFile(int line, String pattern, boolean relativeToFile, String text) {
      this(line, pattern, relativeToFile, text, false);
    }

    /**
     * Prefix of a {@code pattern} that names a Ruby class the seed hands its work to ({@code
     * class:EstateSeeder} for {@code EstateSeeder.seed!}): resolved to the application's file that
     * defines it, by Rails' autoloading convention.
     */
    public static final String CLASS = "class:";

    /**
     * Prefix of a {@code pattern} that names a Python function of the project a seed calls ({@code
     * function:._fake_utils:create_fake_dataset} for {@code create_fake_dataset()} imported {@code
     * from ._fake_utils}): the module, a colon, the function; resolved to the module's file and
     * judged by that function's body.
     */
    public static final String FUNCTION = "function:";
  }

  /** A seed-level ORM call or guard. */
  record SeedCall(int line, String model, SeedEffect effect, String text) implements Operation {}
}
