package io.dbguard.operator;

import static io.dbguard.operator.AttemptDefinitionIT.awaitFinished;
import static io.dbguard.operator.AttemptDefinitionIT.edit;
import static io.dbguard.operator.AttemptDefinitionIT.get;
import static io.dbguard.operator.AttemptDefinitionIT.setUpSqlite;
import static io.dbguard.operator.AttemptDefinitionIT.startAsChart;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RetentionState;
import io.dbguard.testcluster.ImageMapping;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Retention on the real control plane: three successive attempts with {@code keepLast: 1} leave
 * only the newest dump on the backup claim, the older records {@code Pruned}, the newest {@code
 * Ready}, and files dbguard did not write untouched. The operator runs with the chart's RBAC;
 * SQLite on claims of the local node.
 */
@WithTestCluster
class RetentionIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    AttemptDefinitionIT.cluster = cluster;
    AttemptDefinitionIT.client = client;
    cluster.node().mapExecutable("dbguard", ImageMapping.javaCommand("io.dbguard.cli.Main"));
    cluster
        .node()
        .mapImage("ghcr.io/dbguard/dbguard*", ImageMapping.javaMain("io.dbguard.cli.Main"));
    cluster.node().mapImage("shop*", ImageMapping.host());
  }

  static List<String> command(String column) {
    return List.of(
        "sh",
        "-c",
        "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN " + column + " TEXT\"");
  }

  @Test
  void keepLastOneLeavesOnlyTheNewestDumpAndMarksTheOthersPruned(@TestNamespace String ns)
      throws Exception {
    Operator operator = startAsChart(ns);
    try {
      setUpSqlite(ns);
      Path claim = cluster.node().volumePath(ns, "backups");
      Files.writeString(claim.resolve("README.txt"), "not a dbguard backup");
      DatabaseMigration m =
          Serialization.unmarshal(
              """
              apiVersion: dbguard.io/v1alpha1
              kind: DatabaseMigration
              metadata: {name: shop, namespace: %s}
              spec:
                database: {name: shop, engine: SQLite, volume: {claimName: data, path: app.db}}
                migrate: {image: "shop:v2", timeoutSeconds: 120, command: []}
                backup: {storage: {claimName: backups}, retention: {keepLast: 1}}
              """
                  .formatted(ns),
              DatabaseMigration.class);
      m.getSpec().getMigrate().setCommand(command("c1"));
      client.resource(m).create();
      m = awaitFinished(ns, 1);
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
      awaitRetentionSettled(ns);
      assertThat(get(ns).getStatus().getRetention().getJob()).as("nothing to prune").isNull();

      for (int attempt = 2; attempt <= 3; attempt++) {
        String column = "c" + attempt;
        edit(
            ns,
            x -> {
              x.getSpec().getMigrate().setCommand(command(column));
              return x;
            });
        m = awaitFinished(ns, attempt);
        assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        awaitRetentionSettled(ns);
        m = get(ns);
        assertThat(m.getStatus().getRetention().getState())
            .as(m.getStatus().getRetention().getMessage())
            .isEqualTo(RetentionState.Done);
        assertThat(m.getStatus().getRetention().getJob())
            .isEqualTo("shop-prune-" + m.getStatus().getRevision());
      }

      String newest = m.getStatus().getBackup().getDatabaseBackup();
      Map<String, DatabaseBackup> records =
          client.resources(DatabaseBackup.class).inNamespace(ns).list().getItems().stream()
              .collect(Collectors.toMap(b -> b.getMetadata().getName(), b -> b));
      assertThat(records).hasSize(3).containsKey(newest);
      records.forEach(
          (name, b) -> {
            BackupState want = name.equals(newest) ? BackupState.Ready : BackupState.Pruned;
            assertThat(b.getStatus().getState()).as(name).isEqualTo(want);
            assertThat(b.getStatus().getCheckedAt()).as(name).isNotNull();
          });
      String newestFile = Path.of(records.get(newest).getSpec().getFile()).getFileName().toString();
      try (Stream<Path> files = Files.list(claim)) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted())
            .containsExactlyInAnyOrder(newestFile, manifestOf(newestFile), "README.txt");
      }
      // the prune Jobs are no steps: the attempt's state machine is unaffected
      assertThat(get(ns).getStatus().getAttempt()).isEqualTo(3);
    } finally {
      operator.stop();
    }
  }

  /** {@code shop_…_stamp.sqlite3} → {@code shop_…_stamp.manifest.json}. */
  static String manifestOf(String file) {
    return file.substring(0, file.indexOf('.')) + ".manifest.json";
  }

  static void awaitRetentionSettled(String ns) {
    await()
        .atMost(AttemptDefinitionIT.RUN_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              DatabaseMigration x = get(ns);
              return x.getStatus().getRetention() != null
                  && x.getStatus().getRevision().equals(x.getStatus().getRetention().getRevision())
                  && x.getStatus().getRetention().getState() != RetentionState.Pruning;
            });
  }
}
