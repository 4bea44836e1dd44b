package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.Engines;
import io.dbguard.core.engine.RestoreResult;
import io.dbguard.core.report.StepResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code dbguard restore}: restore a backup and verify the result. */
@Command(
    name = "restore",
    description =
        "Restore the database from a backup: re-check SHA-256 and integrity first, keep the"
            + " failed state for forensics, restore, then verify row counts, schema fingerprint and"
            + " migration history against the manifest, then delete failed copies older than the"
            + " newest --keep-failed-copies. Stop the application first.")
final class RestoreCommand extends StepCommand {
  @Mixin BackupSelection selection;
  @Mixin KeepFailedCopies failedCopies;

  @Override
  String stepName() {
    return "restore";
  }

  @Override
  StepResult execute(Console console) {
    Cli.Located l = selection.locate();
    DatabaseTarget target = Cli.targetFor(common, l.manifest());
    console.heading("dbguard restore — " + target.redacted() + " from " + l.manifest().name());
    DatabaseEngine engine = Engines.open(target, selection.toolDir);
    RestoreResult r = engine.restore(l.file(), l.manifest(), console::progress);
    console.ok("restore", "restored from " + l.file(), r.durationMillis());
    console.ok(
        "verify restore",
        r.profileAfter().tables().size()
            + " tables, "
            + r.profileAfter().totalRows()
            + " rows, schema and history ("
            + r.profileAfter().historyVersion()
            + ") equal the backup",
        0);
    if (r.keptFailedAs() != null) {
      console.line("The previous (failed) state is kept in " + r.keptFailedAs());
    }
    StepResult res =
        ok(
            "restore",
            "Restored",
            "restored from " + l.manifest().name() + " and verified",
            Cli.ref(l.manifest(), l.file()));
    if (r.keptFailedAs() != null) {
      res = res.withDetail("keptFailedAs", r.keptFailedAs());
    }
    return failedCopies.pruneAfterRestore(console, engine, res);
  }
}
