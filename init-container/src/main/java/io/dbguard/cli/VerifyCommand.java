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

  @Override
  String stepName() {
    return "verify";
  }

  @Override
  StepResult execute(Console console) {
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
}
