package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.get;
import static io.dbguard.operator.DatabaseMigrationIT.plugin;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteCount;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteMigration;
import static io.dbguard.operator.DatabaseMigrationIT.sqliteTables;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.AttemptRecord;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseBackupSpec;
import io.dbguard.operator.model.DatabaseBackupStatus;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RestoreRequestState;
import io.dbguard.operator.model.RestoreRequestStatus;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code kubectl dbguard restore BACKUP} end to end on the test control plane, SQLite on a real
 * claim, the operator running as the chart's ServiceAccount: the plugin sets {@code
 * dbguard.io/restore}, the operator fences Deployment web, runs its restore Job, puts the backup's
 * data back and scales web back; requests it must not carry out are refused without a Job.
 */
@WithTestCluster
class RestoreRequestIT {
  static TestCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void images() {
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.cluster = cluster;
    WriteFenceIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
  }

  @Test
  void aRequestedRestorePutsTheBackupBackBehindTheFenceOnce(@TestNamespace String ns)
      throws Exception {
    Operator op = fencedMigrationSucceeded(ns, 2);
    try {
      DatabaseMigration m = get(ns, "shop");
      String backup = m.getStatus().getBackup().getDatabaseBackup();
      String revision = m.getStatus().getRevision();

      // the application writes after the migration
      sql(ns, "INSERT INTO items(name) VALUES ('d'), ('e')");
      assertThat(sqliteCount(ns, "items")).isEqualTo(5);

      // without a terminal the plugin refuses unless --yes; nothing is annotated
      DatabaseMigrationIT.PluginRun refused = plugin("restore", backup, "-n", ns);
      assertThat(refused.code()).as(refused.output()).isEqualTo(2);
      assertThat(refused.output()).contains("no terminal to confirm on").contains("--yes");
      assertThat(annotation(ns)).isNull();

      DatabaseMigrationIT.PluginRun run = plugin("restore", backup, "--yes", "-n", ns);
      assertThat(run.code()).as(run.output()).isZero();
      assertThat(annotation(ns)).isEqualTo(backup + "@" + revision);

      await()
          .atMost(Duration.ofSeconds(150))
          .until(
              () -> {
                RestoreRequestStatus r = get(ns, "shop").getStatus().getRestoreRequest();
                return r != null
                    && (r.getState() == RestoreRequestState.Succeeded
                        || r.getState() == RestoreRequestState.Failed
                        || r.getState() == RestoreRequestState.Refused);
              });
      m = get(ns, "shop");
      RestoreRequestStatus r = m.getStatus().getRestoreRequest();
      assertThat(r.getState())
          .as(describe(m) + " " + r.getMessage())
          .isEqualTo(RestoreRequestState.Succeeded);
      assertThat(m.getStatus().getPhase()).isEqualTo(Phase.RolledBack);
      assertThat(m.getStatus().getReason()).isEqualTo("RestoreRequested");
      // history: the attempt keeps its outcome; the restore is an entry of its own
      List<AttemptRecord> history = m.getStatus().getHistory();
      assertThat(history).hasSize(2);
      assertThat(history.get(0).getPhase()).isEqualTo(Phase.Succeeded);
      assertThat(history.get(0).getRestoredBackup()).isNull();
      AttemptRecord restore = history.get(1);
      assertThat(restore.getRestoredBackup()).isEqualTo(backup);
      assertThat(restore.getAttempt()).isEqualTo(history.get(0).getAttempt());
      assertThat(restore.getRevision()).isEqualTo(revision);
      assertThat(restore.getPhase()).isEqualTo(Phase.RolledBack);
      assertThat(restore.getReason()).isEqualTo("RestoreRequested");
      assertThat(Instant.parse(restore.getStartedAt()))
          .isAfterOrEqualTo(Instant.parse(history.get(0).getFinishedAt()));
      assertThat(Instant.parse(restore.getFinishedAt()))
          .isAfterOrEqualTo(Instant.parse(restore.getStartedAt()));
      // the backup's data is back: the rows written after it and the migration's table are gone
      assertThat(sqliteCount(ns, "items")).isEqualTo(3);
      assertThat(sqliteTables(ns)).contains("items").doesNotContain("extra");
      // the fence went up and came down: web is back at 2
      WriteFenceIT.awaitLifted(ns);
      assertThat(replicas(ns)).isEqualTo(2);
      List<String> restoreJobs = restoreRequestJobs(ns);
      assertThat(restoreJobs).containsExactly(r.getJob());

      // handled once: the operator restarted with the same annotation does not restore again
      op.stop();
      op = WriteFenceIT.chartOperator(ns);
      Thread.sleep(5000);
      assertThat(restoreRequestJobs(ns)).containsExactly(r.getJob());
      assertThat(get(ns, "shop").getStatus().getRestoreRequest().getState())
          .isEqualTo(RestoreRequestState.Succeeded);
    } finally {
      op.stop();
    }
  }

  @Test
  void aRequestedRestoreWhoseDumpIsGoneFailsAndMarksTheRecordMissing(@TestNamespace String ns)
      throws Exception {
    Operator op = fencedMigrationSucceeded(ns, 1);
    try {
      DatabaseMigration m = get(ns, "shop");
      String backup = m.getStatus().getBackup().getDatabaseBackup();
      String file = Path.of(m.getStatus().getBackup().getFile()).getFileName().toString();
      // the dump disappears from the claim (deleted by hand); its manifest stays
      Files.delete(cluster.node().volumePath(ns, "backups").resolve(file));
      assertThat(record(ns, backup).getStatus().getState()).isEqualTo(BackupState.Ready);

      annotate(ns, backup + "@" + m.getStatus().getRevision());
      await()
          .atMost(Duration.ofSeconds(150))
          .until(
              () -> {
                RestoreRequestStatus r = get(ns, "shop").getStatus().getRestoreRequest();
                return r != null && r.getState() == RestoreRequestState.Failed;
              });
      DatabaseBackup rec = record(ns, backup);
      assertThat(rec.getStatus().getState())
          .as("the record no longer claims Ready")
          .isEqualTo(BackupState.Missing);
      assertThat(rec.getStatus().getMessage())
          .contains("restore Job " + get(ns, "shop").getStatus().getRestoreRequest().getJob())
          .contains("backup file " + file)
          .contains("is missing");
      assertThat(rec.getStatus().getCheckedAt()).isNotNull();
      // nothing was restored: the migration's table is still there
      assertThat(sqliteTables(ns)).contains("extra");
    } finally {
      op.stop();
    }
  }

  /**
   * Deployment web with {@code pods} replicas, the operator as the chart's ServiceAccount, and
   * migration shop (fenced, creating table extra) Succeeded with the fence lifted.
   *
   * @return the running operator; the caller stops it
   */
  private static Operator fencedMigrationSucceeded(String ns, int pods) throws Exception {
    DatabaseMigrationIT.setUpSqlite(ns);
    sleepers(ns, pods);
    WriteFenceIT.awaitPods(ns, pods);
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      DatabaseMigrationIT.create(
          ns,
          WriteFenceIT.fenced(
              sqliteMigration(
                  "shop",
                  "shop:v2",
                  "sqlite3 \"${DATABASE_URL#sqlite:}\" \"CREATE TABLE extra(x)\"")));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      WriteFenceIT.awaitLifted(ns);
      return op;
    } catch (Exception | Error e) {
      op.stop();
      throw e;
    }
  }

  static DatabaseBackup record(String ns, String name) {
    return client.resources(DatabaseBackup.class).inNamespace(ns).withName(name).get();
  }

  @Test
  void requestsForAnUnverifiedOrAnotherDatabasesBackupAreRefusedWithoutAJob(
      @TestNamespace String ns) throws Exception {
    DatabaseMigrationIT.setUpSqlite(ns);
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      DatabaseMigrationIT.create(
          ns,
          sqliteMigration("shop", "shop:v2", "sqlite3 \"${DATABASE_URL#sqlite:}\" \"SELECT 1\""));
      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      String revision = m.getStatus().getRevision();

      record(ns, "billing-backup", "billing", true);
      DatabaseMigrationIT.PluginRun run = plugin("restore", "billing-backup", "--yes", "-n", ns);
      assertThat(run.code()).as(run.output()).isZero();
      RestoreRequestStatus r = awaitRecorded(ns, "billing-backup@" + revision);
      assertThat(r.getState()).isEqualTo(RestoreRequestState.Refused);
      assertThat(r.getMessage()).contains("is a backup of database billing, not of shop");

      // an unverified record: the plugin refuses it; set by hand, the operator refuses it too
      record(ns, "shop-unverified", "shop", false);
      DatabaseMigrationIT.PluginRun unverified =
          plugin("restore", "shop-unverified", "--yes", "-n", ns);
      assertThat(unverified.code()).isEqualTo(2);
      assertThat(unverified.output()).contains("not a verified backup");
      annotate(ns, "shop-unverified@" + revision);
      r = awaitRecorded(ns, "shop-unverified@" + revision);
      assertThat(r.getState()).isEqualTo(RestoreRequestState.Refused);
      assertThat(r.getMessage()).contains("is not a verified backup");

      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  client.v1().events().inNamespace(ns).list().getItems().stream()
                          .filter(e -> "RestoreRefused".equals(e.getReason()))
                          .count()
                      >= 2);
      assertThat(restoreRequestJobs(ns)).isEmpty();
      assertThat(get(ns, "shop").getStatus().getPhase()).isEqualTo(Phase.Succeeded);
    } finally {
      op.stop();
    }
  }

  static RestoreRequestStatus awaitRecorded(String ns, String value) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              RestoreRequestStatus r = get(ns, "shop").getStatus().getRestoreRequest();
              return r != null && value.equals(r.getValue());
            });
    return get(ns, "shop").getStatus().getRestoreRequest();
  }

  /** A verified (or not) dump record of {@code database} taken by DatabaseMigration shop. */
  static void record(String ns, String name, String database, boolean verified) {
    DatabaseBackup b = new DatabaseBackup();
    b.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
    DatabaseBackupSpec s = new DatabaseBackupSpec();
    s.setDatabase(database);
    s.setEngine(Engine.SQLite);
    s.setMethod(BackupMethod.Dump);
    s.setMigration("shop");
    s.setClaimName("backups");
    s.setFile("/var/lib/dbguard/backups/" + database + "_production_20260101_000000.sqlite3");
    s.setPinned(false);
    b.setSpec(s);
    DatabaseBackup created = client.resource(b).create();
    DatabaseBackupStatus st = new DatabaseBackupStatus();
    st.setState(BackupState.Ready);
    st.setVerified(verified);
    st.setSizeBytes(1024L);
    created.setStatus(st);
    client.resource(created).updateStatus();
  }

  static void annotate(String ns, String value) {
    client
        .resources(DatabaseMigration.class)
        .inNamespace(ns)
        .withName("shop")
        .edit(
            d -> {
              d.getMetadata().getAnnotations().put(DatabaseMigration.RESTORE_ANNOTATION, value);
              return d;
            });
  }

  static String annotation(String ns) {
    Map<String, String> a = get(ns, "shop").getMetadata().getAnnotations();
    return a == null ? null : a.get(DatabaseMigration.RESTORE_ANNOTATION);
  }

  static List<String> restoreRequestJobs(String ns) {
    return client.batch().v1().jobs().inNamespace(ns).list().getItems().stream()
        .map(j -> j.getMetadata().getName())
        .filter(n -> n.contains("-restorereq-"))
        .toList();
  }

  static int replicas(String ns) {
    return client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName("web")
        .get()
        .getSpec()
        .getReplicas();
  }

  static void sql(String ns, String sql) throws Exception {
    Path file = cluster.node().volumePath(ns, "data").resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Deployment web: {@code replicas} pods that only sleep (the fence is what is checked). */
  static void sleepers(String ns, int replicas) {
    WriteFenceIT.webDeployment(
        ns,
        replicas,
        new ContainerBuilder()
            .withName("app")
            .withImage("shop:v1")
            .withCommand("sh", "-c", "sleep 3600")
            .build());
  }
}
