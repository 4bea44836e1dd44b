package io.dbguard.core.plan;

import io.dbguard.core.engine.EngineKind;
import java.util.Locale;

/**
 * The database's size and how long dbguard's verified backup and its verified restore of it are
 * expected to take: the size divided by the rate dbguard measured for that step and engine on the
 * project's 2-core build machine (docs/benchmarks.md). An estimate, not a promise: the rates are
 * from one machine with the data in the page cache; disks slower than a page cache, a busier server
 * or many indexes (rebuilt by a PostgreSQL restore) take longer.
 *
 * @param databaseBytes PostgreSQL {@code pg_database_size(current_database())}; SQLite the file
 *     with its {@code -wal}; 0 for a database that does not exist yet
 * @param backupSeconds estimated seconds of {@code dbguard backup} (dump or copy, SHA-256, full
 *     read-back, profile)
 * @param restoreSeconds estimated seconds of {@code dbguard restore} (read-back, restore, verify)
 * @param basis how it was estimated, one sentence with the rates used
 */
public record CostEstimate(
    long databaseBytes, double backupSeconds, double restoreSeconds, String basis) {

  /**
   * PostgreSQL backup rate, bytes of {@code pg_database_size} per second: 1 453 294 083 bytes in
   * 12.04 s (data set B, text-heavy, default compression; docs/benchmarks-postgres.md). The pgbench
   * data set (A) was faster (about 180 MB/s); the slower rate is used.
   */
  public static final double POSTGRES_BACKUP_BYTES_PER_SECOND = 1_453_294_083d / 12.04;

  /**
   * PostgreSQL restore rate: a 1 400 102 247-byte database (pgbench scale 36 + 2.1 M text rows +
   * 2.7 M events, several large tables) restored and verified by {@code java -jar dbguard.jar
   * restore} (parallel swap restore, 2 jobs) in 57.55 s, best of 3, JVM start and the count of
   * writes after the backup on the failed copy included, measured under heavy load (load average
   * 14–21 on 2 cores) with {@code benchmarks/pg-restore.sh}; docs/benchmarks.md, "Restore against
   * pg_restore". The 0.47 GB data set restored at 28.7 MB/s in the same session.
   */
  public static final double POSTGRES_RESTORE_BYTES_PER_SECOND = 1_400_102_247d / 57.55;

  /**
   * SQLite backup rate: 1 049 669 632 bytes in 6.04 s (median of 3, quiet machine;
   * docs/benchmarks-sqlite.md).
   */
  public static final double SQLITE_BACKUP_BYTES_PER_SECOND = 1_049_669_632d / 6.04;

  /**
   * SQLite restore rate: a 470 081 536-byte database restored and verified by {@code dbguard
   * restore} (failed copy kept, page copy, integrity check, profile) in 22.09 s, best of 2, JVM
   * start included, measured under load (load average 6–10); docs/benchmarks.md, "Restore rate".
   */
  public static final double SQLITE_RESTORE_BYTES_PER_SECOND = 470_081_536d / 22.09;

  /** The estimate for a database of {@code bytes} on {@code engine}. */
  public static CostEstimate of(EngineKind engine, long bytes) {
    double backup =
        engine == EngineKind.POSTGRESQL
            ? POSTGRES_BACKUP_BYTES_PER_SECOND
            : SQLITE_BACKUP_BYTES_PER_SECOND;
    double restore =
        engine == EngineKind.POSTGRESQL
            ? POSTGRES_RESTORE_BYTES_PER_SECOND
            : SQLITE_RESTORE_BYTES_PER_SECOND;
    String basis =
        String.format(
            Locale.ROOT,
            "size ÷ rates measured on a 2-core machine (%s: backup %.0f MB/s, restore %.0f MB/s;"
                + " docs/benchmarks.md); slower disks, a busier server or many indexes take longer",
            engine == EngineKind.POSTGRESQL ? "PostgreSQL" : "SQLite",
            backup / 1e6,
            restore / 1e6);
    return new CostEstimate(bytes, bytes / backup, bytes / restore, basis);
  }
}
