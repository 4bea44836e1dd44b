package io.dbguard.cli;

import io.dbguard.core.report.ExitCode;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dbguard kubectl backups [NAME | --all] [-A]}: DatabaseBackups, newest first. */
@Command(
    name = "backups",
    description =
        "DatabaseBackups, newest first: name, database, method, size, verified, pinned, state,"
            + " age. With NAME only those of that DatabaseMigration.")
final class KubectlBackupsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin KubeOptions kube;

  @Parameters(
      arity = "0..1",
      paramLabel = "NAME",
      description = "Only the backups taken by this DatabaseMigration.")
  String migration;

  @Option(
      names = "--all",
      description = "Every backup in the namespace (the default without NAME).")
  boolean all;

  @Option(
      names = {"-A", "--all-namespaces"},
      description = "Every backup in every namespace.")
  boolean allNamespaces;

  @Override
  public Integer call() {
    if (migration != null && (all || allNamespaces)) {
      spec.commandLine().getErr().println("dbguard: give NAME or --all/--all-namespaces, not both");
      return ExitCode.USAGE.code();
    }
    return KubectlCommand.run(
        spec,
        kube,
        (api, out) -> {
          List<BackupRow> rows =
              sorted(
                  api.backups(allNamespaces).stream()
                      .map(BackupRow::of)
                      .filter(b -> migration == null || migration.equals(b.migration()))
                      .toList());
          if (kube.json()) {
            out.println(KubectlText.backupsJson(rows));
          } else if (rows.isEmpty()) {
            spec.commandLine()
                .getErr()
                .println(
                    "No DatabaseBackups"
                        + (migration != null ? " of DatabaseMigration " + migration : "")
                        + (allNamespaces ? "." : " in namespace " + api.namespace() + "."));
          } else {
            out.print(KubectlText.backupsTable(rows, allNamespaces, Instant.now()));
          }
          out.flush();
          return ExitCode.OK.code();
        });
  }

  /** Newest first (creation time), then by name. */
  static List<BackupRow> sorted(List<BackupRow> rows) {
    return rows.stream()
        .sorted(
            Comparator.comparing(
                    BackupRow::created, Comparator.nullsLast(Comparator.reverseOrder()))
                .thenComparing(BackupRow::name, Comparator.nullsLast(Comparator.naturalOrder())))
        .toList();
  }
}
