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
    DatabaseMigrationIT.mapImages(cluster);
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
      DatabaseMigration m = shop(ns, 1);
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

  /**
   * Twelve succeeded attempts with {@code keepLast: 10}, the second backup pinned: the ten newest
   * and the pinned one stay (records Ready, dump + manifest on the claim), the first is pruned, and
   * a file dbguard did not write is untouched.
   */
  @Test
  void twelveAttemptsWithKeepLastTenKeepTheNewestTenAndThePinnedOne(@TestNamespace String ns)
      throws Exception {
    Operator operator = startAsChart(ns);
    try {
      setUpSqlite(ns);
      Path claim = cluster.node().volumePath(ns, "backups");
      Files.writeString(claim.resolve("shop_notes.txt"), "not a dbguard backup");
      DatabaseMigration m = shop(ns, 10);
      client.resource(m).create();
      List<String> backups = new java.util.ArrayList<>();
      for (int attempt = 1; attempt <= 12; attempt++) {
        if (attempt > 1) {
          String column = "c" + attempt;
          await()
              .atMost(Duration.ofSeconds(30))
              .ignoreExceptions()
              .until(
                  () ->
                      edit(
                              ns,
                              x -> {
                                x.getSpec().getMigrate().setCommand(command(column));
                                return x;
                              })
                          != null);
        }
        m = awaitFinished(ns, attempt);
        assertThat(m.getStatus().getPhase()).isEqualTo(Phase.Succeeded);
        backups.add(m.getStatus().getBackup().getDatabaseBackup());
        awaitRetentionSettled(ns);
        if (attempt == 2) {
          client
              .resources(DatabaseBackup.class)
              .inNamespace(ns)
              .withName(backups.get(1))
              .edit(
                  b -> {
                    b.getSpec().setPinned(true);
                    return b;
                  });
        }
      }
      assertThat(get(ns).getStatus().getRetention().getState())
          .as(get(ns).getStatus().getRetention().getMessage())
          .isEqualTo(RetentionState.Done);

      Map<String, DatabaseBackup> records =
          client.resources(DatabaseBackup.class).inNamespace(ns).list().getItems().stream()
              .collect(Collectors.toMap(b -> b.getMetadata().getName(), b -> b));
      assertThat(records.keySet()).containsExactlyInAnyOrderElementsOf(backups);
      List<String> kept = new java.util.ArrayList<>(backups.subList(2, 12));
      kept.add(backups.get(1));
      records.forEach(
          (name, b) ->
              assertThat(b.getStatus().getState())
                  .as(name)
                  .isEqualTo(kept.contains(name) ? BackupState.Ready : BackupState.Pruned));
      List<String> expectedFiles = new java.util.ArrayList<>(List.of("shop_notes.txt"));
      for (String name : kept) {
        String file = Path.of(records.get(name).getSpec().getFile()).getFileName().toString();
        expectedFiles.add(file);
        expectedFiles.add(manifestOf(file));
      }
      try (Stream<Path> files = Files.list(claim)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrderElementsOf(expectedFiles);
      }
    } finally {
      operator.stop();
    }
  }

  /** DatabaseMigration shop: SQLite on claim data, dumps on claim backups, adding column c1. */
  static DatabaseMigration shop(String ns, int keepLast) {
    DatabaseMigration m =
        Serialization.unmarshal(
            """
            apiVersion: dbguard.io/v1alpha1
            kind: DatabaseMigration
            metadata: {name: shop, namespace: %s}
            spec:
              database: {name: shop, engine: SQLite, volume: {claimName: data, path: app.db}}
              migrate: {image: "shop:v2", timeoutSeconds: 120, command: []}
              backup: {storage: {claimName: backups}, retention: {keepLast: %d}}
            """
                .formatted(ns, keepLast),
            DatabaseMigration.class);
    m.getSpec().getMigrate().setCommand(command("c1"));
    return m;
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
