package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.condition;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.jobSteps;
import static io.dbguard.operator.DatabaseMigrationIT.pvc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.BackupSpec;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RetentionState;
import io.dbguard.operator.model.SnapshotState;
import io.dbguard.operator.observe.SnapshotObserver;
import io.dbguard.testcluster.SnapshotController;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code backup.method: VolumeSnapshot} for SQLite on a claim, on the real control plane: the
 * operator runs as the chart's ServiceAccount (every call checked against OperatorPermissions), the
 * test rig's {@link SnapshotController} plays the CSI snapshotter and hostpath driver (a
 * VolumeSnapshot is a directory copy of the claim), and a Deployment that mounts the claim is the
 * writer that the ScaleToZero fence stops before the snapshot.
 */
@WithTestCluster
class VolumeSnapshotIT {
  static TestCluster cluster;
  static KubernetesClient client;
  static SnapshotController snapshots;
  static Operator operator;
  static final ApiCallRecorder CALLS = new ApiCallRecorder();
  static final String RELEASE = "dbguard-snap-it";

  /** Reconciles per {@code namespace/name}, of every operator {@link #chartOperator} started. */
  static final Map<String, AtomicInteger> RECONCILES = new ConcurrentHashMap<>();

  /**
   * Requests no reconcile of a finished snapshot migration may make: the claim provisioned from the
   * snapshot comes from the claims cache, the VolumeSnapshot is read only while the attempt runs,
   * and a Job from the Job cache.
   */
  private static final List<String> NOT_READ_WHEN_FINISHED =
      List.of(
          "|persistentvolumeclaims|", "snapshot.storage.k8s.io|volumesnapshots|", "batch|jobs|");

  static String operatorNamespace;

  @BeforeAll
  static void startOperator() {
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
    operatorNamespace = cluster.createNamespace("dbguard-snap");
    DatabaseMigrationIT.installChartRbac(RELEASE, operatorNamespace);
    start();
  }

  static void start() {
    operator = chartOperator(operatorNamespace, RELEASE, CALLS);
  }

  /**
   * Starts an operator in this JVM with the default configuration, authenticated as the chart's
   * ServiceAccount {@code release} in {@code operatorNamespace} (its RBAC installed by {@link
   * DatabaseMigrationIT#installChartRbac}), every API call recorded by {@code calls}.
   */
  static Operator chartOperator(String operatorNamespace, String release, ApiCallRecorder calls) {
    Operator op =
        Main.create(
            OperatorConfig.defaults(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            null,
            Set.of(),
            false,
            calls.wrap(cluster.clientAs(operatorNamespace, release)),
            new DatabaseMigrationReconciler(OperatorConfig.defaults()) {
              @Override
              public UpdateControl<DatabaseMigration> reconcile(
                  DatabaseMigration m, Context<DatabaseMigration> context) {
                try {
                  return super.reconcile(m, context);
                } finally {
                  RECONCILES
                      .computeIfAbsent(
                          m.getMetadata().getNamespace() + "/" + m.getMetadata().getName(),
                          k -> new AtomicInteger())
                      .incrementAndGet();
                }
              }
            });
    op.start();
    return op;
  }

  @AfterAll
  static void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
    assertThat(CALLS.outsidePermissions()).as("API calls outside OperatorPermissions").isEmpty();
  }

  @Test
  void snapshotTakenBehindTheFenceVerifiedThenMigratedAndChecked(@TestNamespace String ns)
      throws Exception {
    Path db = database(ns);
    List<String> before = rows(db);
    writer(ns);
    DatabaseMigration migration =
        snapshotMigration(
            "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN note TEXT;"
                + " INSERT INTO items(name) VALUES ('d')\"");
    migration.getSpec().getBackup().setVerify(true);
    DatabaseMigrationIT.create(ns, migration);

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
    var snap = m.getStatus().getSnapshot();
    assertThat(snap.getState()).isEqualTo(SnapshotState.Ready);
    assertThat(snap.getName()).isEqualTo("shop-snapshot-" + m.getStatus().getRevision());
    assertThat(snap.getCreationTime()).isNotBlank();
    assertThat(snap.getBoundVolumeSnapshotContentName()).startsWith("snapcontent-");
    assertThat(snap.getRestoreSize()).isEqualTo("1Gi");
    assertThat(m.getStatus().getBackup().getName()).isEqualTo(snap.getName());
    assertThat(m.getStatus().getFence().getState()).isIn(FenceState.Lifting, FenceState.Lifted);
    // no dump Job: the backup step is the VolumeSnapshot; backup.verify checked it through a claim
    // provisioned from it, and the data check read that claim too
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("snapshotcheck", "migrate", "verify");

    GenericKubernetesResource vs = volumeSnapshot(ns, snap.getName());
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) vs.getAdditionalProperties().get("spec");
    assertThat(spec)
        .containsEntry("volumeSnapshotClassName", SnapshotController.DEFAULT_CLASS)
        .containsEntry("source", Map.of("persistentVolumeClaimName", "data"));
    assertThat(vs.getMetadata().getOwnerReferences())
        .as("a snapshot outlives the migration")
        .isNullOrEmpty();
    // the snapshot holds the database as it was before the migration
    assertThat(rows(snapshots.snapshotPath(ns, snap.getName()).resolve("app.db")))
        .isEqualTo(before);
    assertThat(rows(db)).hasSize(4);

    DatabaseBackup record =
        client
            .resources(DatabaseBackup.class)
            .inNamespace(ns)
            .withName(m.getStatus().getBackup().getDatabaseBackup())
            .get();
    assertThat(record.getSpec().getMethod()).isEqualTo(BackupMethod.VolumeSnapshot);
    assertThat(record.getSpec().getVolumeSnapshotName()).isEqualTo(snap.getName());

    awaitCopyClaimGone(ns, snap.getCopyClaim());
    awaitReplicas(ns, 1);

    // Steady state: once retention is done, a reconcile of the finished migration reads neither
    // its VolumeSnapshot nor the claim provisioned from it nor a Job from the API server.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              DatabaseMigration x = DatabaseMigrationIT.get(ns, "shop");
              return x.getStatus().getRetention() != null
                  && x.getStatus().getRetention().getState() == RetentionState.Done;
            });
    Thread.sleep(1000); // the last status writes' own events are reconciled
    String key = ns + "/shop";
    int seen = RECONCILES.get(key).get();
    CALLS.startLog();
    client
        .resources(DatabaseMigration.class)
        .inNamespace(ns)
        .withName("shop")
        .edit(
            x -> {
              if (x.getMetadata().getAnnotations() == null) {
                x.getMetadata().setAnnotations(new java.util.HashMap<>());
              }
              x.getMetadata().getAnnotations().put("test.dbguard.io/poke", "1");
              return x;
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> RECONCILES.get(key).get() > seen);
    Thread.sleep(1000);
    List<String> reads =
        CALLS.logged().stream()
            .filter(c -> c.contains("/namespaces/" + ns + "/"))
            .filter(c -> c.contains("|get ") || c.contains("|list "))
            .filter(c -> NOT_READ_WHEN_FINISHED.stream().anyMatch(c::startsWith))
            .toList();
    assertThat(reads)
        .as("GET/LIST requests of a finished snapshot migration's reconcile")
        .isEmpty();
  }

  @Test
  void failedMigrationIsRestoredFromTheSnapshotRowForRow(@TestNamespace String ns)
      throws Exception {
    Path db = database(ns);
    List<String> before = rows(db);
    String hashBefore = contentHash(db);
    writer(ns);
    DatabaseMigrationIT.create(
        ns,
        snapshotMigration(
            "sqlite3 \"${DATABASE_URL#sqlite:}\" \"INSERT INTO items(name) VALUES ('x');"
                + " DELETE FROM items WHERE id = 2; UPDATE items SET name = 'changed' WHERE id = 1;"
                + " CREATE TABLE junk(a); INSERT INTO nosuch VALUES (1);\""));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.RolledBack);
    assertThat(m.getStatus().getReason()).isEqualTo("MigrationFailed");
    assertThat(m.getStatus().getMessage()).contains(m.getStatus().getSnapshot().getName());
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("migrate", "restore");
    assertThat(rows(db)).isEqualTo(before);
    assertThat(contentHash(db)).isEqualTo(hashBefore);
    // the failed state is kept beside the database
    try (var files = Files.list(db.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith("app.db.failed-"));
    }
    awaitCopyClaimGone(ns, m.getStatus().getSnapshot().getCopyClaim());
    assertThat(client.persistentVolumeClaims().inNamespace(ns).withName("data").get())
        .as("the original claim is never touched")
        .isNotNull();
    awaitReplicas(ns, 1);
  }

  @Test
  void snapshotErrorStopsTheAttemptBeforeAnyJob(@TestNamespace String ns) throws Exception {
    Path db = database(ns);
    List<String> before = rows(db);
    writer(ns);
    snapshots.failSnapshots(
        vs -> ns.equals(vs.getMetadata().getNamespace()), "csi: out of snapshot quota");
    DatabaseMigrationIT.create(
        ns,
        snapshotMigration(
            "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN note TEXT\""));

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Failed);
    assertThat(m.getStatus().getReason()).isEqualTo("SnapshotFailed");
    assertThat(m.getStatus().getMessage())
        .contains("csi: out of snapshot quota")
        .contains("the migration did not run");
    assertThat(m.getStatus().getSnapshot().getState()).isEqualTo(SnapshotState.Failed);
    assertThat(condition(m, "Stalled")).isEqualTo("True");
    assertThat(condition(m, "Ready")).isEqualTo("False");
    assertThat(jobSteps(ns)).isEmpty();
    assertThat(rows(db)).isEqualTo(before);
    awaitReplicas(ns, 1);
  }

  @Test
  void operatorRestartedWhileTheSnapshotIsPendingTakesNoSecondSnapshot(@TestNamespace String ns)
      throws Exception {
    Path db = database(ns);
    writer(ns);
    // stop the operator as soon as its VolumeSnapshot exists (BackingUp, or already Migrating)
    DatabaseMigrationIT.create(
        ns,
        snapshotMigration(
            "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN note TEXT\""));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              DatabaseMigration m = DatabaseMigrationIT.get(ns, "shop");
              return m != null
                  && m.getStatus() != null
                  && m.getStatus().getSnapshot() != null
                  && volumeSnapshot(ns, m.getStatus().getSnapshot().getName()) != null;
            });
    operator.stop();
    Phase stoppedIn = DatabaseMigrationIT.get(ns, "shop").getStatus().getPhase();
    start();

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
    assertThat(
            client
                .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
                .inNamespace(ns)
                .list()
                .getItems())
        .as("one snapshot for the attempt (the operator stopped in %s)", stoppedIn)
        .hasSize(1);
    assertThat(jobSteps(ns)).containsExactlyInAnyOrder("migrate", "verify");
    assertThat(rows(db)).hasSize(3);
    awaitReplicas(ns, 1);
  }

  /**
   * The operator stopped and started again in each later phase of a snapshot attempt — while the
   * snapshot check runs, while the (failing) migration runs, and once the restore from the snapshot
   * volume has started — resumes each time: one VolumeSnapshot, one Job per step, the database
   * restored row for row.
   */
  @Test
  void operatorRestartedInEachPhaseResumesWithOneSnapshotAndOneJobPerStep(@TestNamespace String ns)
      throws Exception {
    Path db = database(ns);
    List<String> before = rows(db);
    String hashBefore = contentHash(db);
    writer(ns);
    DatabaseMigration migration =
        snapshotMigration(
            "sleep 4; sqlite3 \"${DATABASE_URL#sqlite:}\" \"DELETE FROM items WHERE id = 2;"
                + " INSERT INTO nosuch VALUES (1);\"");
    migration.getSpec().getBackup().setVerify(true);
    DatabaseMigrationIT.create(ns, migration);

    List<String> stoppedIn = new ArrayList<>();
    for (String step : List.of("snapshotcheck", "migrate", "restore")) {
      await()
          .atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> jobSteps(ns).contains(step));
      operator.stop();
      stoppedIn.add(step + ":" + DatabaseMigrationIT.get(ns, "shop").getStatus().getPhase());
      start();
    }

    DatabaseMigration m = awaitFinished(ns, "shop");
    assertThat(m.getStatus().getPhase())
        .as(describe(m) + " " + stoppedIn)
        .isEqualTo(Phase.RolledBack);
    assertThat(
            client
                .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
                .inNamespace(ns)
                .list()
                .getItems())
        .as("one snapshot for the attempt (stopped in %s)", stoppedIn)
        .hasSize(1);
    assertThat(jobSteps(ns))
        .as("stopped in %s", stoppedIn)
        .containsExactlyInAnyOrder("snapshotcheck", "migrate", "restore");
    assertThat(rows(db)).isEqualTo(before);
    assertThat(contentHash(db)).isEqualTo(hashBefore);
    awaitCopyClaimGone(ns, m.getStatus().getSnapshot().getCopyClaim());
    awaitReplicas(ns, 1);
  }

  /**
   * keepLast 1 over three revisions: after each succeeded attempt retention deletes the older
   * VolumeSnapshot and marks its record Pruned; the first snapshot was taken with a class whose
   * deletionPolicy is Retain, so its content is reported (record message, status.retention), not
   * assumed gone.
   */
  @Test
  void keepLastOneDeletesTheOlderSnapshotsAndReportsARetainedContent(@TestNamespace String ns)
      throws Exception {
    GenericKubernetesResource retainClass = new GenericKubernetesResource();
    retainClass.setApiVersion("snapshot.storage.k8s.io/v1");
    retainClass.setKind("VolumeSnapshotClass");
    retainClass.setMetadata(
        new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("dbguard-retain").build());
    retainClass.setAdditionalProperty("driver", SnapshotController.DRIVER);
    retainClass.setAdditionalProperty("deletionPolicy", "Retain");
    client.resource(retainClass).createOr(r -> r.update());

    database(ns);
    writer(ns);
    DatabaseMigration first = snapshotMigration(addColumn("c1"));
    first.getSpec().getBackup().setVolumeSnapshotClassName("dbguard-retain");
    io.dbguard.operator.model.RetentionSpec keepOne = new io.dbguard.operator.model.RetentionSpec();
    keepOne.setKeepLast(1);
    first.getSpec().getBackup().setRetention(keepOne);
    DatabaseMigrationIT.create(ns, first);

    List<String> snapshotNames = new ArrayList<>();
    List<String> records = new ArrayList<>();
    String retainedContent = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      if (attempt > 1) {
        String column = "c" + attempt;
        // the operator writes status meanwhile: an edit that meets a 409 is read again and retried
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(
                () -> {
                  client
                      .resources(DatabaseMigration.class)
                      .inNamespace(ns)
                      .withName("shop")
                      .edit(
                          x -> {
                            x.getSpec().getMigrate().setArgs(null);
                            x.getSpec()
                                .getMigrate()
                                .setCommand(List.of("sh", "-c", addColumn(column)));
                            x.getSpec()
                                .getBackup()
                                .setVolumeSnapshotClassName(SnapshotController.DEFAULT_CLASS);
                            return x;
                          });
                  return true;
                });
      }
      int n = attempt;
      await()
          .atMost(Duration.ofMinutes(3))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () -> {
                DatabaseMigration x = migration(ns);
                return x.getStatus() != null
                    && x.getStatus().getAttempt() != null
                    && x.getStatus().getAttempt() == n
                    && x.getStatus().getPhase() == Phase.Succeeded
                    && x.getStatus().getRetention() != null
                    && x.getStatus()
                        .getRevision()
                        .equals(x.getStatus().getRetention().getRevision())
                    && x.getStatus().getRetention().getState()
                        != io.dbguard.operator.model.RetentionState.Pruning;
              });
      DatabaseMigration m = migration(ns);
      var r = m.getStatus().getRetention();
      assertThat(r.getState())
          .as(r.getMessage())
          .isEqualTo(io.dbguard.operator.model.RetentionState.Done);
      snapshotNames.add(m.getStatus().getSnapshot().getName());
      records.add(m.getStatus().getBackup().getDatabaseBackup());
      if (attempt == 1) {
        retainedContent = m.getStatus().getSnapshot().getBoundVolumeSnapshotContentName();
        assertThat(r.getMessage()).startsWith("nothing to prune");
        continue;
      }
      // the previous snapshot is the one pruned, and it is gone
      assertThat(r.getPrune())
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.getVolumeSnapshot()).isEqualTo(snapshotNames.get(n - 2));
                assertThat(i.getDatabaseBackup()).isEqualTo(records.get(n - 2));
              });
      assertThat(volumeSnapshot(ns, snapshotNames.get(n - 2))).isNull();
      assertThat(volumeSnapshot(ns, snapshotNames.get(n - 1))).isNotNull();
      if (attempt == 2) {
        assertThat(r.getPrune().get(0).getRetainedContent()).isEqualTo(retainedContent);
        assertThat(r.getMessage()).contains("deletionPolicy Retain").contains(retainedContent);
      } else {
        assertThat(r.getPrune().get(0).getRetainedContent()).isNull();
        assertThat(r.getMessage()).doesNotContain("Retain");
      }
    }

    Map<String, DatabaseBackup> byName = new java.util.HashMap<>();
    client
        .resources(DatabaseBackup.class)
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(b -> byName.put(b.getMetadata().getName(), b));
    assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(records);
    assertThat(byName.get(records.get(2)).getStatus().getState())
        .isEqualTo(io.dbguard.operator.model.BackupState.Ready);
    for (int i = 0; i < 2; i++) {
      var st = byName.get(records.get(i)).getStatus();
      assertThat(st.getState())
          .as(records.get(i))
          .isEqualTo(io.dbguard.operator.model.BackupState.Pruned);
      assertThat(st.getPrunedAt()).isNotNull();
    }
    assertThat(byName.get(records.get(0)).getStatus().getMessage())
        .contains("VolumeSnapshotContent " + retainedContent)
        .contains("deletionPolicy Retain")
        .contains("kubectl delete volumesnapshotcontent " + retainedContent);
    assertThat(byName.get(records.get(1)).getStatus().getMessage()).doesNotContain("Retain");
    // Retain: the content (and its data) is still there; Delete: gone with its snapshot
    assertThat(
            client
                .genericKubernetesResources("snapshot.storage.k8s.io/v1", "VolumeSnapshotContent")
                .withName(retainedContent)
                .get())
        .isNotNull();
    assertThat(
            client
                .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
                .inNamespace(ns)
                .list()
                .getItems())
        .extracting(v -> v.getMetadata().getName())
        .containsExactly(snapshotNames.get(2));
    awaitReplicas(ns, 1);
  }

  static String addColumn(String column) {
    return "sqlite3 \"${DATABASE_URL#sqlite:}\" \"ALTER TABLE items ADD COLUMN "
        + column
        + " TEXT\"";
  }

  static DatabaseMigration migration(String ns) {
    return client.resources(DatabaseMigration.class).inNamespace(ns).withName("shop").get();
  }

  // ------------------------------------------------------------------ fixtures

  static DatabaseMigration snapshotMigration(String shell) {
    DatabaseMigration m =
        WriteFenceIT.fenced(DatabaseMigrationIT.sqliteMigration("shop", "shop:v2", shell));
    BackupSpec b = new BackupSpec();
    b.setMethod(BackupMethod.VolumeSnapshot);
    b.setVolumeSnapshotClassName(SnapshotController.DEFAULT_CLASS);
    m.getSpec().setBackup(b);
    return m;
  }

  /** Claim "data" holding app.db with items(id, name): 3 rows. */
  static Path database(String ns) throws Exception {
    pvc(ns, "data");
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> cluster.node().volumePath(ns, "data") != null);
    Path file = cluster.node().volumePath(ns, "data").resolve("app.db");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE items(id INTEGER PRIMARY KEY, name TEXT)");
      s.execute("INSERT INTO items(name) VALUES ('a'), ('b'), ('c')");
    }
    return file;
  }

  /** Deployment web (1 replica) mounting the database claim: the writer the fence stops. */
  static void writer(String ns) {
    WriteFenceIT.webDeployment(
        ns,
        1,
        new io.fabric8.kubernetes.api.model.ContainerBuilder()
            .withName("app")
            .withImage("shop:v1")
            .withCommand("sh", "-c", "while true; do sleep 0.2; done")
            .addNewVolumeMount()
            .withName("data")
            .withMountPath("/data")
            .endVolumeMount()
            .build(),
        List.of(
            new io.fabric8.kubernetes.api.model.VolumeBuilder()
                .withName("data")
                .withNewPersistentVolumeClaim("data", false)
                .build()));
    awaitReplicas(ns, 1);
  }

  static void awaitReplicas(String ns, int n) {
    await().atMost(Duration.ofSeconds(60)).until(() -> WriteFenceIT.readyReplicas(ns, "web") == n);
  }

  static GenericKubernetesResource volumeSnapshot(String ns, String name) {
    return client
        .genericKubernetesResources(SnapshotObserver.VOLUME_SNAPSHOT)
        .inNamespace(ns)
        .withName(name)
        .get();
  }

  static void awaitCopyClaimGone(String ns, String claim) {
    assertThat(claim).isNotNull();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              PersistentVolumeClaim c =
                  client.persistentVolumeClaims().inNamespace(ns).withName(claim).get();
              return c == null || c.getMetadata().getDeletionTimestamp() != null;
            });
  }

  /** Every row of every table, ordered: {@code table|col1|col2…}. */
  static List<String> rows(Path db) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
                  + " ORDER BY name")) {
        while (r.next()) {
          tables.add(r.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet r = s.executeQuery("SELECT * FROM \"" + t + "\" ORDER BY 1")) {
          int n = r.getMetaData().getColumnCount();
          while (r.next()) {
            StringBuilder b = new StringBuilder(t);
            for (int i = 1; i <= n; i++) {
              b.append('|').append(r.getString(i));
            }
            out.add(b.toString());
          }
        }
      }
    }
    return out;
  }

  /** SHA-256 over the schema and every row: equal content, not just equal counts. */
  static String contentHash(Path db) throws Exception {
    MessageDigest d = MessageDigest.getInstance("SHA-256");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT sql FROM sqlite_master ORDER BY name")) {
      while (r.next()) {
        d.update(String.valueOf(r.getString(1)).getBytes());
      }
    }
    for (String row : rows(db)) {
      d.update(row.getBytes());
    }
    return HexFormat.of().formatHex(d.digest());
  }
}
