package io.dbguard.core.engine;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * The writes a restore would discard: what the database received after the backup was taken, per
 * table, measured before the restore on the live database and, once the restore kept the replaced
 * database as a failed copy, again on that copy (which no one writes any more, so the figures are
 * final). Produced by {@link DatabaseEngine#writesAfterBackup}; printed by {@code dbguard run} and
 * {@code dbguard restore} and carried in their step result ({@code writesAfterBackup}).
 *
 * <p>How exact it is depends on the engine (docs/migration-window.md, "Writes after the backup"):
 * PostgreSQL counts rows inserted or updated after the backup exactly from each row's {@code xmin}
 * and the backup's snapshot ({@link WriteHorizon#snapshot()}), and rows of the backup that were
 * changed or deleted exactly from the row counts; SQLite has no transaction ids and compares row
 * counts and the largest rowid, so an UPDATE in place is not seen.
 *
 * @param status {@code none}, {@code found} or {@code unknown} (the manifest predates write
 *     horizons, or the database could not be read)
 * @param measuredOn the database the figures were taken on: the live database (before the restore)
 *     or the failed copy (after it)
 * @param failedCopy the failed (pre-restore) copy that holds these writes, as {@link
 *     RestoreResult#keptFailedAs()} names it; {@code null} before the restore or when none was kept
 * @param tables the tables with writes after the backup or a schema change since it, sorted by
 *     name; empty when none
 * @param note what the figures cannot show (engine limits) or why the status is unknown
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WritesAfterBackup(
    Status status, String measuredOn, String failedCopy, List<TableWrites> tables, String note) {

  /**
   * Names of migration-history tables (Flyway, Rails, Django, Prisma, Liquibase, goose, Knex,
   * Sequelize, Alembic): the migration tool writes them, so their rows are never counted as the
   * application's.
   */
  public static final Set<String> HISTORY_TABLES =
      Set.of(
          "flyway_schema_history",
          "schema_migrations",
          "ar_internal_metadata",
          "django_migrations",
          "_prisma_migrations",
          "databasechangelog",
          "databasechangeloglock",
          "goose_db_version",
          "knex_migrations",
          "knex_migrations_lock",
          "SequelizeMeta",
          "alembic_version");

  public WritesAfterBackup {
    tables = tables == null ? List.of() : List.copyOf(tables);
  }

  /** Whether writes were found, none, or it cannot be said. */
  public enum Status {
    /**
     * No table received writes after the backup (beyond what the migration's schema changes did).
     */
    NONE,
    /**
     * At least one table the migration did not create or alter received writes after the backup.
     */
    FOUND,
    /** Cannot be said: the manifest has no write horizon, or the database could not be read. */
    UNKNOWN;

    @JsonValue
    String json() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * The writes after the backup in one table. Counts are {@code null} where the engine cannot know
   * them.
   *
   * @param table {@code schema.table} (PostgreSQL) or the table name (SQLite)
   * @param schemaChange {@code created}, {@code altered} or {@code dropped} when the table's
   *     definition changed after the backup (by the migration: its rows are not counted as the
   *     application's, and a dropped table's rows cannot be counted at all); {@code null} when it
   *     is unchanged
   * @param migrationHistory {@code true} for a migration-history table ({@link #HISTORY_TABLES}),
   *     which the migration tool writes; {@code null} otherwise
   * @param rowsAtBackup rows in the backup; {@code null} for a table created after it
   * @param rowsNow rows now; {@code null} for a dropped table
   * @param insertedOrUpdated PostgreSQL: rows inserted or updated after the backup (exact: their
   *     {@code xmin} is not visible in the backup's snapshot); SQLite: {@code null}
   * @param insertedAtLeast SQLite: rows inserted after the backup, a lower bound (rows with a rowid
   *     above the backup's largest, or the growth of the row count); PostgreSQL: {@code null}
   * @param backupRowsChangedOrDeleted PostgreSQL: rows of the backup that were updated or deleted
   *     after it (exact); SQLite: {@code null}
   * @param deletedAtLeast rows deleted after the backup, a lower bound (a delete followed by an
   *     insert of as many rows leaves the row count equal; PostgreSQL shows it through {@code
   *     backupRowsChangedOrDeleted}, SQLite through the rowids)
   * @param extract the command that dumps this table from the failed copy, {@code null} before the
   *     restore
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record TableWrites(
      String table,
      String schemaChange,
      Boolean migrationHistory,
      Long rowsAtBackup,
      Long rowsNow,
      Long insertedOrUpdated,
      Long insertedAtLeast,
      Long backupRowsChangedOrDeleted,
      Long deletedAtLeast,
      String extract) {

    /** Whether any row of this table was written (inserted, updated, deleted) after the backup. */
    @JsonIgnore
    public boolean hasWrites() {
      return positive(insertedOrUpdated)
          || positive(insertedAtLeast)
          || positive(backupRowsChangedOrDeleted)
          || positive(deletedAtLeast)
          || ("created".equals(schemaChange) && positive(rowsNow));
    }

    /** Whether these writes count as the application's (not a schema change, not history). */
    @JsonIgnore
    public boolean applicationWrites() {
      return hasWrites() && schemaChange == null && !Boolean.TRUE.equals(migrationHistory);
    }

    /** A copy with the extraction command set. */
    public TableWrites withExtract(String command) {
      return new TableWrites(
          table,
          schemaChange,
          migrationHistory,
          rowsAtBackup,
          rowsNow,
          insertedOrUpdated,
          insertedAtLeast,
          backupRowsChangedOrDeleted,
          deletedAtLeast,
          command);
    }

    /** One human line, e.g. {@code public.orders: 3 inserted or updated, at least 1 deleted}. */
    public String describe() {
      List<String> parts = new ArrayList<>();
      if ("dropped".equals(schemaChange)) {
        parts.add("dropped after the backup (its rows cannot be counted)");
      } else if ("created".equals(schemaChange)) {
        parts.add("created after the backup, by the migration (" + rowsNow + " rows)");
      } else {
        if ("altered".equals(schemaChange)) {
          parts.add("altered after the backup, by the migration: its rows may be the migration's");
        }
        if (Boolean.TRUE.equals(migrationHistory)) {
          parts.add("migration-history table, written by the migration tool");
        }
        if (insertedOrUpdated != null) {
          parts.add(insertedOrUpdated + " inserted or updated");
        }
        if (positive(insertedAtLeast)) {
          parts.add("at least " + insertedAtLeast + " inserted");
        }
        if (backupRowsChangedOrDeleted != null) {
          parts.add(backupRowsChangedOrDeleted + " of the backup's rows updated or deleted");
        }
        if (positive(deletedAtLeast)) {
          parts.add("at least " + deletedAtLeast + " deleted");
        }
        parts.add("rows " + rowsAtBackup + " → " + rowsNow);
      }
      return table + ": " + String.join(", ", parts);
    }

    private static boolean positive(Long v) {
      return v != null && v > 0;
    }
  }

  /** Unknown, with the reason. */
  public static WritesAfterBackup unknown(String measuredOn, String why) {
    return new WritesAfterBackup(Status.UNKNOWN, measuredOn, null, List.of(), why);
  }

  /**
   * The result for measured tables: {@code found} when a table has {@link
   * TableWrites#applicationWrites()}, else {@code none}. Tables without writes and without a schema
   * change are left out.
   */
  public static WritesAfterBackup of(String measuredOn, List<TableWrites> measured, String note) {
    List<TableWrites> listed =
        measured.stream()
            .filter(t -> t.hasWrites() || t.schemaChange() != null)
            .sorted(java.util.Comparator.comparing(TableWrites::table))
            .toList();
    boolean found = listed.stream().anyMatch(TableWrites::applicationWrites);
    return new WritesAfterBackup(
        found ? Status.FOUND : Status.NONE, measuredOn, null, listed, note);
  }

  /** Whether the application's writes after the backup were found. */
  @JsonIgnore
  public boolean found() {
    return status == Status.FOUND;
  }

  /**
   * Whether a restore would discard writes or cannot be shown not to: {@code found} or {@code
   * unknown}. {@code --on-discarded-writes Halt} halts then.
   */
  @JsonIgnore
  public boolean mayDiscard() {
    return status != Status.NONE;
  }

  /** The tables with the application's writes, by name. */
  @JsonIgnore
  public List<String> applicationTables() {
    return tables.stream().filter(TableWrites::applicationWrites).map(TableWrites::table).toList();
  }

  /**
   * A copy naming the failed copy that holds the writes, with each listed table's extraction
   * command (from {@code extract}, given the table name; {@code null} leaves it unset).
   */
  public WritesAfterBackup keptIn(String copy, Function<String, String> extract) {
    List<TableWrites> t =
        tables.stream()
            .map(
                w ->
                    extract == null || copy == null || "dropped".equals(w.schemaChange())
                        ? w
                        : w.withExtract(extract.apply(w.table())))
            .toList();
    return new WritesAfterBackup(status, measuredOn, copy, t, note);
  }

  /** A copy with at most {@code n} tables (the rest dropped, counted in the note). */
  public WritesAfterBackup firstTables(int n) {
    if (tables.size() <= n) {
      return this;
    }
    // the application's tables first: they are the ones that matter
    List<TableWrites> ordered =
        new ArrayList<>(tables.stream().filter(TableWrites::applicationWrites).toList());
    tables.stream().filter(t -> !t.applicationWrites()).forEach(ordered::add);
    String more = (tables.size() - n) + " more table(s) not listed here";
    return new WritesAfterBackup(
        status,
        measuredOn,
        failedCopy,
        ordered.subList(0, n),
        note == null ? more : more + "; " + note);
  }

  /**
   * One sentence for a result message, e.g. {@code WRITES AFTER THE BACKUP in public.orders,
   * public.users (kept in shop_failed_20261206_021500)}.
   */
  public String sentence() {
    return switch (status) {
      case NONE ->
          "No writes after the backup were found"
              + (tables.isEmpty() ? "" : " (only the migration's own schema changes)")
              + ".";
      case UNKNOWN -> "Writes after the backup: UNKNOWN (" + note + ")" + kept() + ".";
      case FOUND ->
          "WRITES AFTER THE BACKUP in " + String.join(", ", applicationTables()) + kept() + ".";
    };
  }

  private String kept() {
    return failedCopy == null ? "" : "; they are kept only in the failed copy " + failedCopy;
  }
}
