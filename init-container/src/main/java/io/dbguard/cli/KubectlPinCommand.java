package io.dbguard.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbguard.core.report.ExitCode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dbguard kubectl pin BACKUP} / {@code unpin BACKUP}: sets {@code spec.pinned} of a
 * DatabaseBackup, which retention reads (a pinned backup is never pruned). A pruned backup (its
 * file is gone) is refused with exit 2: pinning it would keep nothing.
 */
final class KubectlPinCommand {
  private KubectlPinCommand() {}

  /** {@code pin BACKUP}. */
  @Command(name = "pin", description = "Pin a DatabaseBackup: retention never deletes it.")
  static final class Pin implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KubeOptions kube;

    @Parameters(paramLabel = "BACKUP", description = "DatabaseBackup name.")
    String backup;

    @Override
    public Integer call() {
      return set(spec, kube, backup, true);
    }
  }

  /** {@code unpin BACKUP}. */
  @Command(
      name = "unpin",
      description = "Unpin a DatabaseBackup: retention may delete it again (keepLast).")
  static final class Unpin implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Mixin KubeOptions kube;

    @Parameters(paramLabel = "BACKUP", description = "DatabaseBackup name.")
    String backup;

    @Override
    public Integer call() {
      return set(spec, kube, backup, false);
    }
  }

  static int set(CommandSpec spec, KubeOptions kube, String name, boolean pinned) {
    return KubectlCommand.run(
        spec,
        kube,
        (api, out) -> {
          BackupRow b = BackupRow.of(api.backup(name));
          if (pinned && "Pruned".equals(b.state())) {
            spec.commandLine()
                .getErr()
                .println(
                    "dbguard: not pinning DatabaseBackup "
                        + name
                        + ": retention already deleted it (state Pruned), pinning keeps nothing");
            return ExitCode.REFUSED.code();
          }
          boolean changed = b.pinned() != pinned;
          if (changed) {
            ObjectNode patch = KubectlText.JSON.createObjectNode();
            patch.putObject("spec").put("pinned", pinned);
            api.patchBackup(name, patch);
          }
          if (kube.json()) {
            ObjectNode r = KubectlText.JSON.createObjectNode();
            r.put("namespace", api.namespace());
            r.put("name", name);
            r.put("pinned", pinned);
            r.put("changed", changed);
            out.println(KubectlText.write(r));
          } else {
            out.println(
                "DatabaseBackup "
                    + api.namespace()
                    + "/"
                    + name
                    + (changed ? " " : " already ")
                    + (pinned
                        ? "pinned: retention never deletes it"
                        : "unpinned: retention may delete it"));
          }
          out.flush();
          return ExitCode.OK.code();
        });
  }
}
