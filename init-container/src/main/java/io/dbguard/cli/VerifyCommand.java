package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.report.StepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dbguard verify}: check a backup file against its manifest. */
@Command(
    name = "verify",
    description =
        "Verify a backup against its manifest: size, SHA-256 and a full read-back (SQLite:"
            + " PRAGMA integrity_check = ok). Does not touch the database.")
final class VerifyCommand extends StepCommand {
  @Mixin BackupSelection selection;

  @picocli.CommandLine.Option(
      names = "--copy",
      paramLabel = "PATH",
      description =
          "Check a copy of the database volume (a claim the operator provisioned from its"
              + " VolumeSnapshot, taken while the writers were fenced) instead of a backup. SQLite:"
              + " PATH is the database file; PRAGMA integrity_check. PostgreSQL: PATH is the data"
              + " directory; a private server must start on it and finish crash recovery. Then its"
              + " profile (tables, row and non-null counts, schema fingerprint, history) must equal"
              + " the live database's. Not with a backup selection.")
  java.nio.file.Path copy;

  @Override
  String stepName() {
    return "verify";
  }

  @Override
  StepResult execute(Console console) {
    if (copy != null) {
      return verifyCopy(console);
    }
    BackupSelection.Chosen chosen = selection.choose(common, "verify");
    Cli.Located l = chosen.located();
    DatabaseEngine engine = chosen.engine();
    long t0 = System.nanoTime();
    engine.verify(l.file(), l.manifest(), console::progress);
    console.ok(
        "verify backup",
        l.file() + " (" + Console.bytes(l.manifest().sizeBytes()) + "): sha256 matches, intact",
        (System.nanoTime() - t0) / 1_000_000);
    return ok(
        "verify",
        "BackupVerified",
        "backup " + l.manifest().name() + " is intact",
        Cli.ref(l.manifest(), l.file()));
  }

  private StepResult verifyCopy(Console console) {
    DatabaseEngine live = SnapshotCopy.live(common, selection, copy);
    if (live instanceof io.dbguard.core.engine.postgres.PostgresEngine pg) {
      return verifyPostgresCopy(console, pg);
    }
    io.dbguard.core.engine.sqlite.SqliteEngine engine =
        (io.dbguard.core.engine.sqlite.SqliteEngine) live;
    long t0 = System.nanoTime();
    io.dbguard.core.engine.sqlite.SqliteCopy.Content content =
        io.dbguard.core.engine.sqlite.SqliteCopy.read(copy, console::progress);
    String difference =
        io.dbguard.core.engine.sqlite.SqliteCopy.differenceFrom(content, engine.profile());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (difference != null) {
      throw new io.dbguard.core.engine.DbguardException(
          "BackupCorrupt",
          "the snapshot copy "
              + copy
              + " passes integrity_check but does not hold what "
              + engine.displayName()
              + " holds: "
              + difference
              + "; the snapshot is not a usable backup");
    }
    String msg =
        "snapshot copy "
            + copy
            + " is intact and equals the database: "
            + content.profile().tables().size()
            + " tables, "
            + content.profile().totalRows()
            + " rows";
    console.ok("verify copy", msg, ms);
    return ok("verify", "BackupVerified", msg, null)
        .withDetail("rows", Long.toString(content.profile().totalRows()));
  }

  private StepResult verifyPostgresCopy(
      Console console, io.dbguard.core.engine.postgres.PostgresEngine engine) {
    long t0 = System.nanoTime();
    String difference = engine.differenceFromCopy(copy);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    if (difference != null) {
      throw new io.dbguard.core.engine.DbguardException(
          "BackupCorrupt",
          "the PostgreSQL server on the snapshot copy "
              + copy
              + " recovered, but the copy does not hold what "
              + engine.displayName()
              + " holds (the copy first, the live database expected): "
              + difference
              + "; the snapshot is not a usable backup");
    }
    io.dbguard.core.engine.DataProfile now = engine.profile();
    String msg =
        "snapshot copy "
            + copy
            + " recovers and equals the database: "
            + now.tables().size()
            + " tables, "
            + now.totalRows()
            + " rows";
    console.ok("verify copy", msg, ms);
    return ok("verify", "BackupVerified", msg, null)
        .withDetail("rows", Long.toString(now.totalRows()));
  }
}
