package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbguard.core.report.ExitCode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dbguard kubectl restore BACKUP}: asks the operator to restore a verified backup, by
 * setting {@code dbguard.io/restore=<BACKUP>@<status.revision>} on the DatabaseMigration that took
 * it. The operator (never this command) fences the writers as for a migration, runs the same
 * verified restore Job as after a failed migration, lifts the fence and records the outcome in
 * {@code status.restoreRequest}; it refuses (status and a {@code RestoreRefused} Event) what this
 * command cannot see, e.g. another run on the database. The command prints what will happen and
 * asks for the backup's name to be typed; {@code --yes} skips the question, and without a terminal
 * it refuses unless {@code --yes} is given. The patch carries the resourceVersion read, so a
 * migration that changed meanwhile fails it (exit 5) instead of being restored on stale facts.
 */
@Command(
    name = "restore",
    description =
        "Restore a verified DatabaseBackup: the operator fences the application, replaces the live"
            + " database with the backup (its current state kept as a failed copy) and lifts the"
            + " fence (sets dbguard.io/restore on its DatabaseMigration). Asks for confirmation.")
final class KubectlRestoreCommand implements Callable<Integer> {
  /** The annotation the operator reads (DatabaseMigration.RESTORE_ANNOTATION in the operator). */
  static final String ANNOTATION = "dbguard.io/restore";

  /** Phases in which an attempt is over, so a restore may be requested. */
  static final Set<String> FINISHED =
      Set.of("Succeeded", "RolledBack", "Failed", "Blocked", "Rejected");

  /**
   * Reads the confirmation: the prompt in, the typed line out (null at end of input); null when
   * there is no terminal. Replaced in tests.
   */
  static Function<String, String> terminal =
      prompt -> System.console() == null ? null : System.console().readLine("%s", prompt);

  /** Whether a terminal is there to ask on. Replaced in tests. */
  static java.util.function.BooleanSupplier hasTerminal = () -> System.console() != null;

  @Spec CommandSpec spec;

  @Mixin KubeOptions kube;

  @Parameters(paramLabel = "BACKUP", description = "DatabaseBackup name (kubectl dbguard backups).")
  String backup;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation (needed without a terminal).")
  boolean yes;

  @Override
  public Integer call() {
    return KubectlCommand.run(
        spec,
        kube,
        (api, out) -> {
          PrintWriter err = spec.commandLine().getErr();
          BackupRow b = BackupRow.of(api.backup(backup));
          if (b.migration() == null) {
            err.println(
                "dbguard: not restoring "
                    + backup
                    + ": the DatabaseBackup names no DatabaseMigration (spec.migration)");
            return ExitCode.REFUSED.code();
          }
          JsonNode m = api.migration(b.migration());
          String phase = m.path("status").path("phase").asText("Pending");
          String revision = m.path("status").path("revision").asText(null);
          String refusal = refusal(b, phase, revision);
          if (refusal != null) {
            err.println("dbguard: " + refusal);
            return ExitCode.REFUSED.code();
          }
          if (!yes) {
            if (!hasTerminal.getAsBoolean()) {
              err.println(
                  "dbguard: not restoring "
                      + backup
                      + ": no terminal to confirm on; check `kubectl dbguard backups "
                      + b.migration()
                      + "` and pass --yes");
              return ExitCode.REFUSED.code();
            }
            for (String line : explain(api.namespace(), b, m)) {
              err.println(line);
            }
            err.flush();
            String typed = terminal.apply("Type the backup's name to restore it: ");
            if (typed == null || !backup.equals(typed.trim())) {
              err.println("dbguard: not restoring: the name typed was not " + backup);
              return ExitCode.REFUSED.code();
            }
          }
          String value = backup + "@" + revision;
          api.annotateMigration(m, ANNOTATION, value);
          if (kube.json()) {
            ObjectNode r = KubectlText.JSON.createObjectNode();
            r.put("namespace", api.namespace());
            r.put("name", b.migration());
            r.put("backup", backup);
            r.put("annotation", ANNOTATION);
            r.put("value", value);
            out.println(KubectlText.write(r));
          } else {
            out.println(
                "restore requested: DatabaseMigration "
                    + api.namespace()
                    + "/"
                    + b.migration()
                    + " annotated "
                    + ANNOTATION
                    + "="
                    + value
                    + "; the operator restores it (or says why not in status.restoreRequest)."
                    + " Follow it with: kubectl dbguard status "
                    + b.migration()
                    + " -n "
                    + api.namespace());
          }
          out.flush();
          return ExitCode.OK.code();
        });
  }

  /**
   * Why the request is refused before it is made, or null. Pure. The operator checks again (and
   * more: another run on the database, the backup storage).
   *
   * @param phase the DatabaseMigration's {@code status.phase}
   * @param revision its {@code status.revision}, or null
   */
  static String refusal(BackupRow b, String phase, String revision) {
    String what = "not restoring " + b.name() + ": ";
    if (!"Ready".equals(b.state()) || !b.verified()) {
      return what
          + "it is not a verified backup (state "
          + b.state()
          + (b.verified() ? "" : ", not verified")
          + "); only a verified backup is restored";
    }
    if (!"Dump".equals(b.method())) {
      return what + "it is a VolumeSnapshot; only dump backups can be restored on request";
    }
    if (!FINISHED.contains(phase) || revision == null) {
      return what
          + "DatabaseMigration "
          + b.migration()
          + " is in phase "
          + phase
          + "; a restore can be requested once its attempt has finished";
    }
    return null;
  }

  /** What the restore will do, for the confirmation. */
  static List<String> explain(String namespace, BackupRow b, JsonNode m) {
    JsonNode spec = m.path("spec");
    JsonNode rollout = spec.path("rollout");
    List<String> workloads = new ArrayList<>();
    rollout
        .path("workloads")
        .forEach(w -> workloads.add(w.path("kind").asText() + "/" + w.path("name").asText()));
    String fence = rollout.path("writeFence").asText("ScaleToZero");
    List<String> lines = new ArrayList<>();
    lines.add(
        "Restore DatabaseBackup "
            + namespace
            + "/"
            + b.name()
            + " into database "
            + b.database()
            + " of DatabaseMigration "
            + b.migration()
            + ":");
    lines.add(
        "  backup:   "
            + (b.created() == null ? "time unknown" : "taken " + b.created())
            + ", "
            + (b.sizeBytes() == null ? "size unknown" : Console.bytes(b.sizeBytes()))
            + ", verified, revision "
            + b.revision());
    lines.add(
        "  database: the live database is replaced by the backup; its current state is kept as a"
            + " failed copy (docs/operations.md, Failed copies of the database)");
    lines.add(
        "  writers:  "
            + (fence.equals("None")
                ? "writeFence None: nothing stops the application writing during the restore"
                : workloads.isEmpty() && fence.equals("ScaleToZero")
                    ? "no workloads listed in spec.rollout.workloads: nothing is fenced"
                    : "fenced as for a migration (writeFence "
                        + fence
                        + (workloads.isEmpty() ? "" : ": " + String.join(", ", workloads))
                        + "), released after the restore"));
    lines.add(
        "  after:    phase RolledBack (the rollout gate stays closed for image "
            + m.path("status").path("image").asText("?")
            + " until a new attempt succeeds); a failed restore is RestoreFailed");
    return lines;
  }
}
