package io.dbguard.cli;

import io.dbguard.core.report.ExitCode;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dbguard kubectl …}: the {@code kubectl dbguard} plugin (scripts/kubectl-dbguard runs
 * {@code java -jar dbguard.jar kubectl "$@"}). Reads and nudges the operator's resources; it never
 * creates Jobs itself (a restore is a request the operator carries out).
 */
@Command(
    name = "kubectl",
    description =
        "kubectl plugin (kubectl dbguard …): status of a DatabaseMigration, its backups, retry,"
            + " approve, restore a backup, pin and unpin backups.",
    subcommands = {
      KubectlCommand.Status.class,
      KubectlBackupsCommand.class,
      KubectlRetryCommand.class,
      KubectlApproveCommand.class,
      KubectlRestoreCommand.class,
      KubectlPinCommand.Pin.class,
      KubectlPinCommand.Unpin.class,
    })
final class KubectlCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command");
  }

  /**
   * Runs {@code body} with a connected API, printing a {@link KubectlException} as {@code dbguard:
   * MESSAGE} on stderr and returning its exit code.
   */
  static int run(CommandSpec spec, KubeOptions kube, KubectlBody body) {
    PrintWriter err = spec.commandLine().getErr();
    try (KubectlApi api = kube.connect()) {
      return body.run(api, spec.commandLine().getOut());
    } catch (KubectlException e) {
      err.println("dbguard: " + e.getMessage());
      return e.exitCode().code();
    }
  }

  /** A command's work once connected; returns the exit code. */
  @FunctionalInterface
  interface KubectlBody {
    int run(KubectlApi api, PrintWriter out);
  }

  /** {@code dbguard kubectl status NAME}. */
  @Command(
      name = "status",
      description =
          "A DatabaseMigration: phase, reason, current step, revision, the rollout gate, its"
              + " attempts and its backups.")
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KubeOptions kube;

    @Parameters(paramLabel = "NAME", description = "DatabaseMigration name.")
    String name;

    @Override
    public Integer call() {
      return run(
          spec,
          kube,
          (api, out) -> {
            MigrationSummary m = MigrationSummary.of(api.migration(name));
            List<BackupRow> backups =
                KubectlBackupsCommand.sorted(
                    api.backups(false).stream()
                        .map(BackupRow::of)
                        .filter(b -> name.equals(b.migration()))
                        .toList());
            out.print(
                kube.json()
                    ? KubectlText.statusJson(m, backups) + "\n"
                    : KubectlText.status(m, backups, Instant.now()));
            out.flush();
            return ExitCode.OK.code();
          });
    }
  }
}
