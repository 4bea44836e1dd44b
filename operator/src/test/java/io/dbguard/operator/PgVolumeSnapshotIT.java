package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.jobSteps;
import static io.dbguard.operator.DatabaseMigrationIT.pvc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupSpec;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseVolume;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.SnapshotState;
import io.dbguard.testcluster.SnapshotController;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.dbguard.testpg.ScratchPostgres;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code backup.method: VolumeSnapshot} for a single-instance PostgreSQL whose data directory is on
 * the claim, on the real control plane: the claim's host directory (the rig's local provisioner)
 * holds a cluster initdb'd there and run as a process by the OS user postgres on a free port; the
 * migration's URL Secret points at it. The rig's {@link SnapshotController} copies the claim's
 * directory (modes, owners and links kept) as a CSI snapshot would; the Jobs that read the copy
 * start a private server on it.
 */
@WithTestCluster
class PgVolumeSnapshotIT {
  static TestCluster cluster;
  static KubernetesClient client;
  static SnapshotController snapshots;
  static Operator operator;
  static final ApiCallRecorder CALLS = new ApiCallRecorder();
  static final String RELEASE = "dbguard-pgsnap-it";

  private static final String HASH =
      "SELECT md5(coalesce(string_agg(i::text, ',' ORDER BY id), '')) FROM items i";

  @BeforeAll
  static void startOperator() {
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.client = client;
    VolumeSnapshotIT.cluster = cluster;
    VolumeSnapshotIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
    String operatorNamespace = cluster.createNamespace("dbguard-pgsnap");
    DatabaseMigrationIT.installChartRbac(RELEASE, operatorNamespace);
    operator = VolumeSnapshotIT.chartOperator(operatorNamespace, RELEASE, CALLS);
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
    assertThat(CALLS.outsidePermissions()).as("API calls outside OperatorPermissions").isEmpty();
  }

  /**
   * Claim "data" whose directory pgdata is a running cluster with database shop: items, 200 rows.
   */
  static ScratchPostgres database(String ns) throws Exception {
    // every pod of the test runs as its securityContext's user, as on a real node: the snapshot
    // Jobs as database.volume.runAsUser (the data directory's owner), the others as 65532
    cluster.node().runAsUsers().honour(p -> ns.equals(p.getMetadata().getNamespace()));
    pvc(ns, "data");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> cluster.node().volumePath(ns, "data") != null);
    ScratchPostgres pg =
        ScratchPostgres.start(cluster.node().volumePath(ns, "data").resolve("pgdata"));
    pg.sql("postgres", "CREATE DATABASE shop");
    pg.sql(
        "shop",
        "CREATE TABLE items(id int PRIMARY KEY, name text);"
            + " INSERT INTO items SELECT i, 'item ' || i FROM generate_series(1, 200) i;");
    DatabaseMigrationIT.setUp(ns, pg.url("shop"));
    return pg;
  }

  static DatabaseMigration snapshotMigration(String... statements) {
    StringBuilder sh = new StringBuilder("psql \"$DATABASE_URL\" -X -q -v ON_ERROR_STOP=1");
    for (String s : statements) {
      sh.append(" -c \"").append(s).append('"');
    }
    DatabaseMigration m =
        WriteFenceIT.fenced(
            DatabaseMigrationIT.pgMigration("shop", "shop:v2", List.of("sh", "-c", sh.toString())));
    DatabaseVolume v = new DatabaseVolume();
    v.setClaimName("data");
    v.setPath("pgdata");
    v.setRunAsUser(ScratchPostgres.osUserId());
    m.getSpec().getDatabase().setVolume(v);
    BackupSpec b = new BackupSpec();
    b.setMethod(BackupMethod.VolumeSnapshot);
    b.setVolumeSnapshotClassName(SnapshotController.DEFAULT_CLASS);
    b.setVerify(true); // required for PostgreSQL (SnapshotSpecRules)
    m.getSpec().setBackup(b);
    return m;
  }

  /**
   * The Jobs of {@code step} ran as the data directory's owner, not as root: so the private server
   * on the copy was started without {@code setpriv} (the non-root path of PgDataDirectoryCopy).
   */
  static void assertRanAsTheOwner(String ns, String step) {
    List<String> jobs =
        client
            .batch()
            .v1()
            .jobs()
            .inNamespace(ns)
            .withLabel("dbguard.io/step", step)
            .list()
            .getItems()
            .stream()
            .map(j -> j.getMetadata().getName())
            .toList();
    assertThat(jobs).as("Jobs of step " + step).isNotEmpty();
    var ran = cluster.node().runAsUsers().ranAs(ns);
    List<Long> uids =
        ran.entrySet().stream()
            .filter(e -> jobs.stream().anyMatch(j -> e.getKey().startsWith(j + "-")))
            .map(java.util.Map.Entry::getValue)
            .toList();
    assertThat(uids)
        .as("uids the " + step + " containers ran as, of " + ran)
        .isNotEmpty()
        .containsOnly(ScratchPostgres.osUserId());
  }

  @Test
  void failedMigrationIsRestoredFromTheSnapshotOfTheDataDirectory(@TestNamespace String ns)
      throws Exception {
    try (ScratchPostgres pg = database(ns)) {
      String hashBefore = pg.sql("shop", HASH);
      VolumeSnapshotIT.writer(ns);
      // each -c is its own transaction: the first three commit, the last fails
      DatabaseMigrationIT.create(
          ns,
          snapshotMigration(
              "INSERT INTO items VALUES (1000, 'x')",
              "DELETE FROM items WHERE id BETWEEN 10 AND 60",
              "UPDATE items SET name = 'changed' WHERE id = 1",
              "CREATE TABLE junk(a int)",
              "INSERT INTO nosuch VALUES (1)"));

      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
      assertThat(m.getStatus().getReason()).isEqualTo("MigrationFailed");
      assertThat(m.getStatus().getSnapshot().getState()).isEqualTo(SnapshotState.Ready);
      assertThat(jobSteps(ns)).containsExactlyInAnyOrder("snapshotcheck", "migrate", "restore");
      assertRanAsTheOwner(ns, "snapshotcheck");
      assertRanAsTheOwner(ns, "restore");
      assertThat(pg.sql("shop", "SELECT count(*) FROM items")).isEqualTo("200");
      assertThat(pg.sql("shop", HASH)).as("content hash of items").isEqualTo(hashBefore);
      assertThat(pg.sql("shop", "SELECT count(*) FROM pg_tables WHERE tablename = 'junk'"))
          .isEqualTo("0");
      String failed =
          pg.sql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE 'shop_failed_%'");
      assertThat(failed).as("the failed state is kept").startsWith("shop_failed_");
      assertThat(pg.sql(failed, "SELECT count(*) FROM items")).isEqualTo("150");
      // the snapshot holds the data directory as the server left it
      Path snap = snapshots.snapshotPath(ns, m.getStatus().getSnapshot().getName());
      assertThat(Files.readString(snap.resolve("pgdata/PG_VERSION")).strip()).isNotBlank();
      VolumeSnapshotIT.awaitCopyClaimGone(ns, m.getStatus().getSnapshot().getCopyClaim());
      assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("data").get())
          .as("the original claim is never touched")
          .isNotNull();
      VolumeSnapshotIT.awaitReplicas(ns, 1);
    }
  }

  @Test
  void verifiedSnapshotThenMigratedAndCheckedAgainstTheCopy(@TestNamespace String ns)
      throws Exception {
    try (ScratchPostgres pg = database(ns)) {
      VolumeSnapshotIT.writer(ns);
      DatabaseMigration migration =
          snapshotMigration(
              "ALTER TABLE items ADD COLUMN note text", "INSERT INTO items VALUES (1000, 'y')");
      DatabaseMigrationIT.create(ns, migration);

      DatabaseMigration m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      assertThat(jobSteps(ns)).containsExactlyInAnyOrder("snapshotcheck", "migrate", "verify");
      assertRanAsTheOwner(ns, "snapshotcheck");
      assertRanAsTheOwner(ns, "verify");
      assertThat(pg.sql("shop", "SELECT count(*) FROM items")).isEqualTo("201");
      VolumeSnapshotIT.awaitCopyClaimGone(ns, m.getStatus().getSnapshot().getCopyClaim());
      VolumeSnapshotIT.awaitReplicas(ns, 1);
    }
  }
}
