package io.dbguard.cli;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.sqlite.SqliteCopy;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import io.dbguard.core.verify.DataLossCheck;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code dbguard verify-data}: the data-loss check against a manifest. */
@Command(
    name = "verify-data",
    description =
        "Compare the database now with the profile in a backup manifest: a table that vanished or"
            + " lost rows, or a column that held data and vanished or lost values, is"
            + " DataLossDetected unless acknowledged.")
final class VerifyDataCommand extends StepCommand {
  @Option(
      names = "--acknowledge-data-loss",
      paramLabel = "TABLE[.COLUMN]",
      split = ",",
      description = "Accept the loss of this table or column (repeatable, comma-separated).")
  List<String> acknowledge;

  @Mixin BackupSelection selection;

  @Option(
      names = "--from-copy",
      paramLabel = "PATH",
      description =
          "Compare with a copy of the database volume (a claim the operator provisioned from the"
              + " VolumeSnapshot taken before the migration) instead of a backup manifest. SQLite:"
              + " PATH is the database file, integrity-checked and profiled first. PostgreSQL: PATH"
              + " is the data directory; a private server is started on it and the database of the"
              + " same name is profiled. Not with a backup selection.")
  java.nio.file.Path fromCopy;

  @Option(
      names = "--content-checksum",
      description =
          "With --from-copy: also compare a checksum of every column's values, so values"
              + " overwritten in place are found (several times the cost of the count scan)."
              + " Against a backup this follows the backup: its manifest carries checksums when"
              + " it was taken with --content-checksum.")
  boolean contentChecksum;

  @Override
  String stepName() {
    return "verify-data";
  }

  @Override
  StepResult execute(Console console) {
    long t0 = System.nanoTime();
    DataProfile reference;
    DatabaseEngine engine;
    String against;
    StepResult.BackupRef ref;
    if (fromCopy != null) {
      engine = SnapshotCopy.live(common, selection, fromCopy);
      reference =
          engine instanceof io.dbguard.core.engine.postgres.PostgresEngine pg
              ? pg.profileOfCopy(fromCopy, contentChecksum)
              : SqliteCopy.read(fromCopy, console::progress, contentChecksum).profile();
      against = "snapshot copy " + fromCopy;
      ref = null;
    } else {
      BackupSelection.Chosen chosen = selection.choose(common, "compare with");
      Cli.Located l = chosen.located();
      engine = chosen.engine();
      reference = l.manifest().profile();
      against = "backup " + l.manifest().name();
      ref = Cli.ref(l.manifest(), l.file());
    }
    DataProfile now = engine.profile(reference.hasContentChecksums());
    DataLossCheck.Result r = DataLossCheck.check(reference, now, Cli.acknowledgements(acknowledge));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    r.acknowledged().forEach(f -> console.warn("verify data", f.describe()));
    if (!r.passed()) {
      r.unacknowledged().forEach(f -> console.fail("verify data", f.describe(), 0));
      String msg =
          r.unacknowledged().size()
              + " data loss finding(s) against "
              + against
              + ": "
              + String.join("; ", r.unacknowledged().stream().map(f -> f.describe()).toList());
      return new StepResult(
              "verify-data", ExitCode.DATA_LOSS_DETECTED.code(), "DataLossDetected", msg, ref, null)
          .withDetail(
              "lost", String.join(",", r.unacknowledged().stream().map(f -> f.subject()).toList()))
          .withDetail(
              "acknowledged",
              String.join(",", r.acknowledged().stream().map(f -> f.subject()).toList()));
    }
    String msg =
        now.tables().size()
            + " tables, "
            + now.totalRows()
            + " rows; nothing lost against "
            + against
            + (r.acknowledged().isEmpty() ? "" : " (" + r.acknowledged().size() + " acknowledged)");
    console.ok("verify data", msg, ms);
    StepResult res = ok("verify-data", "DataVerified", msg, ref);
    return r.acknowledged().isEmpty()
        ? res
        : res.withDetail(
            "acknowledged",
            String.join(",", r.acknowledged().stream().map(f -> f.subject()).toList()));
  }
}
