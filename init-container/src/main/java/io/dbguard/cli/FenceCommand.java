package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.WriteFence;
import io.dbguard.core.engine.postgres.PgReadOnlyFence;
import io.dbguard.core.engine.postgres.PostgresOptions;
import io.dbguard.core.report.StepResult;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code dbguard fence status|raise|lift}: the write fence of the migration window. {@code run
 * --write-fence ReadOnly} raises and lifts it itself; the operator ({@code writeFence: ReadOnly})
 * runs {@code raise} and {@code lift} as Jobs around its step Jobs.
 */
@Command(
    name = "fence",
    description =
        "Show, raise or lift the write fence of the migration window (PostgreSQL ReadOnly).",
    subcommands = {
      FenceCommand.StatusCommand.class,
      FenceCommand.RaiseCommand.class,
      FenceCommand.LiftCommand.class
    })
final class FenceCommand {
  private FenceCommand() {}

  /**
   * The {@code --write-fence} of {@code dbguard run}: {@link WriteFence#NONE} or the PostgreSQL
   * read-only fence.
   *
   * @throws DbguardException reason {@code Usage} for an unknown name, or ReadOnly on SQLite
   */
  static WriteFence forRun(String name, DatabaseTarget target, PostgresOptions options) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "none":
        return WriteFence.NONE;
      case "readonly":
        return readOnly(target, options);
      default:
        throw new DbguardException("Usage", "--write-fence must be None or ReadOnly, not " + name);
    }
  }

  static PgReadOnlyFence readOnly(DatabaseTarget target, PostgresOptions options) {
    if (target.kind() != EngineKind.POSTGRESQL) {
      throw new DbguardException(
          "Usage",
          "the ReadOnly write fence is PostgreSQL's; a SQLite file has no other writer to fence"
              + " than the application's own processes: stop them (docs/migration-window.md)");
    }
    return PgReadOnlyFence.of(target, options);
  }

  /** {@code dbguard fence status}: exit 0, reason {@code Fenced} or {@code NotFenced}. */
  @Command(name = "status", description = "Say whether dbguard's read-only fence is up.")
  static final class StatusCommand extends StepCommand {
    @Override
    String stepName() {
      return "fence-status";
    }

    @Override
    StepResult execute(Console console) {
      DatabaseTarget target = common.target();
      boolean up = readOnly(target, PostgresOptions.defaults()).isRaised();
      String msg =
          up
              ? "database \""
                  + target.database()
                  + "\" is read-only for the application: dbguard's fence is up (lift it with"
                  + " `dbguard fence lift` once the database is known to be good)"
              : "database \"" + target.database() + "\" carries no dbguard write fence";
      console.ok("fence", msg, 0);
      return new StepResult("fence-status", 0, up ? "Fenced" : "NotFenced", msg, null, null);
    }
  }

  /**
   * A change of the fence: takes the run lock (so no run is between its steps), then raises or
   * lifts; exit 0, 6 when a run holds the lock, or 7 {@code FenceFailed} with nothing changed.
   */
  abstract static class FenceChange extends StepCommand {
    /** The change; returns the message. */
    abstract String change(PgReadOnlyFence fence);

    /** The reason of the step result on success. */
    abstract String reason();

    @Override
    StepResult execute(Console console) {
      DatabaseTarget target = common.target();
      PgReadOnlyFence fence = readOnly(target, PostgresOptions.defaults());
      lockDatabase(target, console);
      String msg = change(fence);
      console.ok("fence", msg, 0);
      return new StepResult(stepName(), 0, reason(), msg, null, null);
    }
  }

  /**
   * {@code dbguard fence raise}: raises the read-only fence (taking over one an unfinished run
   * left); reason {@code Fenced}.
   */
  @Command(
      name = "raise",
      description =
          "Raise dbguard's read-only fence: the database refuses writes from every role but the"
              + " one dbguard connects as, until `fence lift`.")
  static final class RaiseCommand extends FenceChange {
    @Override
    String stepName() {
      return "fence-raise";
    }

    @Override
    String change(PgReadOnlyFence fence) {
      return fence.raise();
    }

    @Override
    String reason() {
      return "Fenced";
    }
  }

  /** {@code dbguard fence lift}: lifts the fence; reason {@code Lifted}. */
  @Command(
      name = "lift",
      description =
          "Lift dbguard's read-only fence (after a run held it, or a run was killed while fenced).")
  static final class LiftCommand extends FenceChange {
    @Override
    String stepName() {
      return "fence-lift";
    }

    @Override
    String change(PgReadOnlyFence fence) {
      return fence.lift();
    }

    @Override
    String reason() {
      return "Lifted";
    }
  }
}
