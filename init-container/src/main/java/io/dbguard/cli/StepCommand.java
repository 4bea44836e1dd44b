package io.dbguard.cli;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.RunLeftovers;
import io.dbguard.core.engine.RunLock;
import io.dbguard.core.engine.postgres.PostgresOptions;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.Reasons;
import io.dbguard.core.report.StepResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * Base of every step command: turns the outcome into a {@link StepResult}, prints it, writes the
 * termination log and returns the exit code. A {@link DbguardException} becomes its reason and the
 * exit code from {@link Reasons#exitCode}; anything else is {@code ToolError} (3).
 */
abstract class StepCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

  /** Set by commands that report by themselves and return null from {@link #execute}. */
  volatile int lastExitCode;

  /** Counted down once the result is printed and the termination log written. */
  final java.util.concurrent.CountDownLatch reported = new java.util.concurrent.CountDownLatch(1);

  /** The database's run lock, once {@link #lockDatabase} took it; released when the step ends. */
  private volatile RunLock runLock;

  /** The step name in the result, e.g. {@code backup}. */
  abstract String stepName();

  /** Does the work; returns the result (success or a handled failure). */
  abstract StepResult execute(Console console) throws Exception;

  @Override
  public final Integer call() {
    try {
      return report();
    } finally {
      RunLock l = runLock;
      if (l != null) {
        l.close();
      }
    }
  }

  /**
   * Takes the database's run lock ({@link RunLock}) for the rest of this step: every command that
   * changes the database calls it before the first change.
   *
   * @throws DbguardException reason {@code Locked} (exit 6) when another run holds it
   */
  void lockDatabase(DatabaseTarget target, Console console) {
    lockDatabase(target, null, console);
  }

  /**
   * {@link #lockDatabase(DatabaseTarget, Console)}, then removes what an interrupted run of this
   * database left ({@link RunLeftovers}: in-progress backup files in {@code backupDir},
   * restore-aside databases) and says so.
   *
   * @param backupDir this command's backup directory, or null
   */
  void lockDatabase(DatabaseTarget target, java.nio.file.Path backupDir, Console console) {
    runLock = RunLock.acquire(target, PostgresOptions.defaults(), stepName());
    console.ok("lock", runLock.describe(), 0);
    RunLeftovers.Cleanup c =
        RunLeftovers.removeOwn(target, PostgresOptions.defaults(), backupDir, runLock);
    if (!c.removed().isEmpty()) {
      console.ok(
          "leftovers",
          "removed what an interrupted run of this database left: "
              + String.join(", ", c.removed()),
          0);
    }
    for (String p : c.problems()) {
      console.warn("leftovers", "left in place: " + p);
    }
  }

  private Integer report() {
    Console console = Console.system(common.output == CommonOptions.Output.json);
    StepResult r;
    try {
      r = execute(console);
    } catch (DbguardException e) {
      console.fail(stepName(), e.getMessage(), 0);
      r =
          new StepResult(
              stepName(),
              Reasons.exitCode(e.reason()).code(),
              e.reason(),
              e.getMessage(),
              null,
              null);
    } catch (Exception e) {
      String msg = DatabaseTarget.redact(String.valueOf(e.getMessage()));
      console.fail(stepName(), "dbguard failed unexpectedly: " + msg, 0);
      r =
          new StepResult(
              stepName(),
              ExitCode.TOOL_ERROR.code(),
              "ToolError",
              e.getClass().getSimpleName() + ": " + msg,
              null,
              null);
    }
    if (r == null) {
      // the command reported itself (run: before a termination handler may halt the JVM)
      reported.countDown();
      return lastExitCode;
    }
    console.result(r);
    writeTerminationLog(console, r);
    lastExitCode = r.exitCode();
    reported.countDown();
    return r.exitCode();
  }

  void writeTerminationLog(Console console, StepResult r) {
    if (common.terminationLog == null) {
      return;
    }
    try {
      Files.writeString(common.terminationLog, r.toTerminationMessage(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      console.warn("termination log", "cannot write " + common.terminationLog + ": " + e);
    }
  }

  static StepResult ok(String step, String reason, String message, StepResult.BackupRef backup) {
    return new StepResult(step, ExitCode.OK.code(), reason, message, backup, null);
  }
}
