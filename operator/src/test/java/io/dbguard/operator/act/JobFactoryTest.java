package io.dbguard.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.JobDefaults;
import io.dbguard.operator.OperatorConfig;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.Test;

class JobFactoryTest {

  static final String PG =
      """
      apiVersion: dbguard.io/v1alpha1
      kind: DatabaseMigration
      metadata: {name: shop, namespace: apps, uid: u-1}
      spec:
        database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
        migrate:
          image: shop:v2
          command: [bin/rails, db:migrate]
          env: [{name: RAILS_ENV, value: production}]
          timeoutSeconds: 600
        backup: {storage: {claimName: backups}}
        safety: {acknowledgeDataLoss: [legacy.notes]}
      """;

  static DatabaseMigrationStatus status() {
    DatabaseMigrationStatus s = new DatabaseMigrationStatus();
    s.setRevision("abcd1234");
    s.setImage("shop:v2");
    BackupStatusRef b = new BackupStatusRef();
    b.setName("shop_production_20260101_120000");
    s.setBackup(b);
    return s;
  }

  static Job build(String yaml, Step step, PodTemplateSpec template, String node) {
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    return new JobFactory(OperatorConfig.defaults())
        .build(
            new JobFactory.Request(
                m, status(), step, JobNames.of("shop", step, "abcd1234"), template, node));
  }

  @Test
  void everyJobFollowsTheConventions() {
    for (Step step : new Step[] {Step.BACKUP, Step.MIGRATE, Step.VERIFY, Step.RESTORE}) {
      Job j = build(PG, step, null, null);
      assertThat(j.getMetadata().getName()).isEqualTo("shop-" + step.id() + "-abcd1234");
      assertThat(j.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "dbguard")
          .containsEntry("app.kubernetes.io/part-of", "shop")
          .containsEntry("dbguard.io/step", step.id())
          .containsEntry("dbguard.io/database", "shop");
      assertThat(j.getMetadata().getAnnotations()).containsEntry("dbguard.io/revision", "abcd1234");
      assertThat(j.getMetadata().getOwnerReferences().get(0).getController()).isTrue();
      assertThat(j.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("u-1");
      assertThat(j.getSpec().getBackoffLimit()).isZero();
      assertThat(j.getSpec().getTtlSecondsAfterFinished()).isEqualTo(86400);
      assertThat(j.getSpec().getActiveDeadlineSeconds()).isPositive();
      var pod = j.getSpec().getTemplate().getSpec();
      assertThat(pod.getRestartPolicy()).isEqualTo("Never");
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      Container c = pod.getContainers().get(0);
      assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      // Credentials only from the Secret, never a literal value or an argument.
      var url = c.getEnv().stream().filter(e -> e.getName().equals("DATABASE_URL")).findFirst();
      assertThat(url).isPresent();
      assertThat(url.get().getValue()).isNull();
      assertThat(url.get().getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db");
      assertThat(url.get().getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
      assertThat(String.join(" ", c.getArgs() == null ? java.util.List.of() : c.getArgs()))
          .doesNotContain("postgresql://");
    }
  }

  @Test
  void toolStepArgumentsAreTheCliContract() {
    assertThat(
            build(PG, Step.BACKUP, null, null)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsExactly(
            "backup",
            "--backup-dir",
            "/var/lib/dbguard/backups",
            "--database-name",
            "shop",
            "--environment",
            "production",
            "--image",
            "shop:v2",
            "--revision",
            "abcd1234",
            "--migration",
            "apps/shop",
            "--skip-if-new",
            "--termination-log",
            "/dev/termination-log");
    assertThat(
            build(PG, Step.VERIFY, null, null)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsExactly(
            "verify-data",
            "--backup-dir",
            "/var/lib/dbguard/backups",
            "--backup",
            "shop_production_20260101_120000",
            "--acknowledge-data-loss",
            "legacy.notes",
            "--termination-log",
            "/dev/termination-log");
    assertThat(
            build(PG, Step.RESTORE, null, null)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .containsExactly(
            "restore",
            "--backup-dir",
            "/var/lib/dbguard/backups",
            "--backup",
            "shop_production_20260101_120000",
            "--termination-log",
            "/dev/termination-log");
  }

  @Test
  void migrateRunsTheAppImageWithItsCommandAndTimeout() {
    Job j = build(PG, Step.MIGRATE, null, null);
    Container c = j.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("shop:v2");
    assertThat(c.getCommand()).containsExactly("bin/rails", "db:migrate");
    assertThat(c.getEnv()).anyMatch(e -> e.getName().equals("RAILS_ENV"));
    assertThat(j.getSpec().getActiveDeadlineSeconds()).isEqualTo(600);
  }

  @Test
  void fromWorkloadCopiesTheContainerAndSpecOverrides() {
    String yaml =
        PG.replace(
            "image: shop:v2\n", "fromWorkload: {kind: Deployment, name: shop, container: web}\n");
    PodTemplateSpec t =
        new PodTemplateSpecBuilder()
            .withNewSpec()
            .withServiceAccountName("shop-sa")
            .withNodeSelector(java.util.Map.of("pool", "apps"))
            .addNewImagePullSecret("regcred")
            .addNewVolume()
            .withName("config")
            .withNewConfigMap()
            .withName("shop-config")
            .endConfigMap()
            .endVolume()
            .addNewContainer()
            .withName("sidecar")
            .withImage("proxy:1")
            .endContainer()
            .addNewContainer()
            .withName("web")
            .withImage("shop:v3")
            .addNewEnv()
            .withName("RAILS_ENV")
            .withValue("staging")
            .endEnv()
            .addNewEnv()
            .withName("FEATURE")
            .withValue("on")
            .endEnv()
            .addNewVolumeMount()
            .withName("config")
            .withMountPath("/app/config")
            .endVolumeMount()
            .endContainer()
            .endSpec()
            .build();
    DatabaseMigrationStatus st = status();
    st.setImage("shop:v3");
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    Job j =
        new JobFactory(OperatorConfig.defaults())
            .build(new JobFactory.Request(m, st, Step.MIGRATE, "shop-migrate-abcd1234", t, null));
    var pod = j.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("shop:v3");
    assertThat(pod.getServiceAccountName()).isEqualTo("shop-sa");
    assertThat(pod.getNodeSelector()).containsEntry("pool", "apps");
    assertThat(pod.getImagePullSecrets()).hasSize(1);
    assertThat(pod.getVolumes()).anyMatch(v -> v.getName().equals("config"));
    assertThat(c.getVolumeMounts()).anyMatch(v -> v.getMountPath().equals("/app/config"));
    assertThat(c.getEnv())
        .anyMatch(e -> e.getName().equals("FEATURE"))
        .anyMatch(e -> e.getName().equals("RAILS_ENV") && "production".equals(e.getValue()));
  }

  static java.util.List<String> args(String yaml, Step step) {
    return build(yaml, step, null, null)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0)
        .getArgs();
  }

  @Test
  void restoreWithoutABackupSetsTheNewDatabaseAside() {
    DatabaseMigration m = Serialization.unmarshal(PG, DatabaseMigration.class);
    DatabaseMigrationStatus noBackup = status();
    noBackup.setBackup(null);
    Job j =
        new JobFactory(OperatorConfig.defaults())
            .build(
                new JobFactory.Request(
                    m,
                    noBackup,
                    Step.RESTORE,
                    JobNames.of("shop", Step.RESTORE, "abcd1234"),
                    null,
                    null));
    assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsExactly("restore", "--set-aside-new", "--termination-log", "/dev/termination-log");
    assertThat(args(PG, Step.RESTORE))
        .containsSubsequence(
            "restore", "--backup-dir", "--backup", "shop_production_20260101_120000");
  }

  @Test
  void keepFailedCopiesReachesTheRestoreJobOnly() {
    String five =
        PG.replace(
            "backup: {storage: {claimName: backups}}",
            "backup: {storage: {claimName: backups}, keepFailedCopies: 5}");
    assertThat(args(five, Step.RESTORE))
        .containsSubsequence(
            "restore",
            "--backup",
            "shop_production_20260101_120000",
            "--keep-failed-copies",
            "5",
            "--termination-log");
    for (Step other : new Step[] {Step.BACKUP, Step.VERIFY}) {
      assertThat(args(five, other)).doesNotContain("--keep-failed-copies");
    }
    // unset (a spec the apiserver did not default): the CLI's own default applies
    assertThat(args(PG, Step.RESTORE)).doesNotContain("--keep-failed-copies");
  }

  @Test
  void compressionLevelReachesTheBackupJobOnlyWhenSet() {
    String zero =
        PG.replace(
            "backup: {storage: {claimName: backups}}",
            "backup: {storage: {claimName: backups}, compressionLevel: 0}");
    assertThat(args(zero, Step.BACKUP))
        .containsSubsequence("--skip-if-new", "--compression-level", "0", "--termination-log");
    assertThat(args(PG, Step.BACKUP)).doesNotContain("--compression-level");
  }

  @Test
  void contentChecksumReachesTheBackupJobAndAnyVerifyThatProfilesASnapshotCopy() {
    String on =
        PG.replace(
            "backup: {storage: {claimName: backups}}",
            "backup: {storage: {claimName: backups}, contentChecksum: true}");
    assertThat(args(on, Step.BACKUP))
        .containsSubsequence("--skip-if-new", "--content-checksum", "--termination-log");
    // against a dump the manifest carries the checksums: verify-data takes them from there
    assertThat(args(on, Step.VERIFY)).doesNotContain("--content-checksum");
    assertThat(args(PG, Step.BACKUP)).doesNotContain("--content-checksum");
    String snapshot =
        on.replace(
                "engine: PostgreSQL, urlSecretRef: {name: shop-db}",
                "engine: SQLite, volume: {claimName: data, path: db/app.db}")
            .replace(
                "backup: {storage: {claimName: backups}, contentChecksum: true}",
                "backup: {method: VolumeSnapshot, contentChecksum: true}");
    DatabaseMigrationStatus st = status();
    io.dbguard.operator.model.SnapshotStatus snap = new io.dbguard.operator.model.SnapshotStatus();
    snap.setName("shop-snapshot-abcd1234");
    snap.setCopyClaim("shop-snapcopy-abcd1234");
    st.setSnapshot(snap);
    Job j =
        new JobFactory(OperatorConfig.defaults())
            .build(
                new JobFactory.Request(
                    Serialization.unmarshal(snapshot, DatabaseMigration.class),
                    st,
                    Step.VERIFY,
                    JobNames.of("shop", Step.VERIFY, "abcd1234"),
                    null,
                    null));
    assertThat(j.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
        .containsSubsequence("verify-data", "--from-copy", "--content-checksum");
  }

  @Test
  void sqliteMountsTheClaimAndPinsTheNode() {
    String yaml =
        PG.replace(
            "engine: PostgreSQL, urlSecretRef: {name: shop-db}",
            "engine: SQLite, volume: {claimName: data, path: db/app.db}");
    Job j = build(yaml, Step.BACKUP, null, "node-7");
    var pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getVolumes())
        .anyMatch(
            v ->
                v.getPersistentVolumeClaim() != null
                    && "data".equals(v.getPersistentVolumeClaim().getClaimName()));
    assertThat(pod.getContainers().get(0).getEnv())
        .anyMatch(
            e ->
                e.getName().equals("DATABASE_URL")
                    && "sqlite:/var/lib/dbguard/db/db/app.db".equals(e.getValue()));
    assertThat(
            pod.getAffinity()
                .getNodeAffinity()
                .getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms()
                .get(0)
                .getMatchExpressions()
                .get(0)
                .getValues())
        .containsExactly("node-7");
  }

  @Test
  void longNamesStayWithin63Characters() {
    String n = JobNames.of("a".repeat(70), Step.RESTORE, "abcd1234");
    assertThat(n).hasSize(63).endsWith("-restore-abcd1234");
  }

  @Test
  void analyzeCopiesMigrationsFromTheAppImageAndLints() {
    String yaml =
        PG.replace(
            "safety: {acknowledgeDataLoss: [legacy.notes]}",
            "safety: {migrationsPath: /app/db/migrate, acknowledge: [{rule: DBG101, file: 001.sql}]}");
    Job j = build(yaml, Step.ANALYZE, null, null);
    var pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers().get(0).getImage()).isEqualTo("shop:v2");
    assertThat(pod.getInitContainers().get(0).getCommand())
        .containsExactly("cp", "-R", "/app/db/migrate/.", "/var/lib/dbguard/migrations/");
    assertThat(pod.getContainers().get(0).getArgs())
        .containsExactly(
            "lint",
            "/var/lib/dbguard/migrations",
            "--format",
            "json",
            "--environment",
            "production",
            "--acknowledge",
            "DBG101:001.sql",
            "--termination-log",
            "/dev/termination-log");
  }

  @Test
  void stepContainersGetTheInstallationsResourcesAndJavaOptions() {
    ResourceRequirements resources =
        new ResourceRequirementsBuilder()
            .addToRequests("cpu", new Quantity("100m"))
            .addToRequests("memory", new Quantity("256Mi"))
            .addToLimits("memory", new Quantity("512Mi"))
            .build();
    OperatorConfig config =
        new OperatorConfig(
            "dbguard:test",
            3600,
            300,
            true,
            new JobDefaults(resources, "-XX:MaxRAMPercentage=75", "json"));
    String analyze =
        PG.replace(
            "safety: {acknowledgeDataLoss: [legacy.notes]}", "safety: {migrationsPath: /app/db}");
    for (Step step : new Step[] {Step.ANALYZE, Step.BACKUP, Step.VERIFY, Step.RESTORE}) {
      DatabaseMigration m = Serialization.unmarshal(analyze, DatabaseMigration.class);
      Job j =
          new JobFactory(config)
              .build(
                  new JobFactory.Request(
                      m, status(), step, JobNames.of("shop", step, "abcd1234"), null, null));
      var pod = j.getSpec().getTemplate().getSpec();
      Container main = pod.getContainers().get(0);
      assertThat(main.getResources()).as(step.id()).isEqualTo(resources);
      assertThat(main.getEnv())
          .as(step.id())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("JAVA_TOOL_OPTIONS");
                assertThat(e.getValue()).isEqualTo("-XX:MaxRAMPercentage=75");
              });
      assertThat(main.getEnv())
          .as(step.id())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("DBGUARD_LOG_FORMAT");
                assertThat(e.getValue()).isEqualTo("json");
              });
      if (pod.getInitContainers() != null) {
        assertThat(pod.getInitContainers())
            .allSatisfy(c -> assertThat(c.getResources()).isEqualTo(resources));
      }
    }
    // The application's migration container: its own resources win, the installation's fill in.
    DatabaseMigration m = Serialization.unmarshal(PG, DatabaseMigration.class);
    Container migrate =
        new JobFactory(config)
            .build(
                new JobFactory.Request(
                    m,
                    status(),
                    Step.MIGRATE,
                    JobNames.of("shop", Step.MIGRATE, "abcd1234"),
                    null,
                    null))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(migrate.getResources()).isEqualTo(resources);
    assertThat(migrate.getEnv()).noneMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS"));
    ResourceRequirements own =
        new ResourceRequirementsBuilder().addToLimits("memory", new Quantity("2Gi")).build();
    m.getSpec().getMigrate().setResources(own);
    migrate =
        new JobFactory(config)
            .build(
                new JobFactory.Request(
                    m,
                    status(),
                    Step.MIGRATE,
                    JobNames.of("shop", Step.MIGRATE, "abcd1234"),
                    null,
                    null))
            .getSpec()
            .getTemplate()
            .getSpec()
            .getContainers()
            .get(0);
    assertThat(migrate.getResources()).isEqualTo(own);
  }

  @Test
  void postgresSnapshotJobsMountOnlyTheCopyAndRunAsTheDataDirectoryOwner() {
    String yaml =
        PG.replace(
                "engine: PostgreSQL, urlSecretRef: {name: shop-db}",
                "engine: PostgreSQL, urlSecretRef: {name: shop-db},"
                    + " volume: {claimName: pg, path: pgdata, runAsUser: 999}")
            .replace(
                "backup: {storage: {claimName: backups}}",
                "backup: {method: VolumeSnapshot, volumeSnapshotClassName: csi-snap}")
            .replace("safety: {acknowledgeDataLoss: [legacy.notes]}", "");
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    DatabaseMigrationStatus st = status();
    io.dbguard.operator.model.SnapshotStatus snap = new io.dbguard.operator.model.SnapshotStatus();
    snap.setName("shop-snapshot-abcd1234");
    snap.setCopyClaim("shop-snapcopy-abcd1234");
    st.setSnapshot(snap);
    for (Step step : java.util.List.of(Step.SNAPSHOT_CHECK, Step.VERIFY, Step.RESTORE)) {
      var pod =
          new JobFactory(OperatorConfig.defaults())
              .build(
                  new JobFactory.Request(
                      m, st, step, JobNames.of("shop", step, "abcd1234"), null, null))
              .getSpec()
              .getTemplate()
              .getSpec();
      assertThat(pod.getVolumes())
          .extracting(
              v ->
                  v.getPersistentVolumeClaim() == null
                      ? null
                      : v.getPersistentVolumeClaim().getClaimName())
          .as("the live data directory's claim is never mounted")
          .contains("shop-snapcopy-abcd1234")
          .doesNotContain("pg", "backups");
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(999L);
      assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(999L);
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getFsGroup())
          .as("fsGroup would make the data directory group-writable, which PostgreSQL refuses")
          .isNull();
      assertThat(pod.getContainers().get(0).getArgs()).contains("/var/lib/dbguard/snapshot/pgdata");
      assertThat(pod.getContainers().get(0).getEnv())
          .anyMatch(e -> e.getName().equals("DATABASE_URL") && e.getValueFrom() != null);
    }
  }

  @Test
  void snapshotVerifyAndRestoreMountTheLiveClaimAndTheCopyClaim() {
    String yaml =
        PG.replace(
                "engine: PostgreSQL, urlSecretRef: {name: shop-db}",
                "engine: SQLite, volume: {claimName: data, path: db/app.db}")
            .replace(
                "backup: {storage: {claimName: backups}}",
                "backup: {method: VolumeSnapshot, volumeSnapshotClassName: csi-snap}")
            .replace("safety: {acknowledgeDataLoss: [legacy.notes]}", "");
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    DatabaseMigrationStatus st = status();
    io.dbguard.operator.model.SnapshotStatus snap = new io.dbguard.operator.model.SnapshotStatus();
    snap.setName("shop-snapshot-abcd1234");
    snap.setCopyClaim("shop-snapcopy-abcd1234");
    st.setSnapshot(snap);
    for (Step step : java.util.List.of(Step.SNAPSHOT_CHECK, Step.VERIFY, Step.RESTORE)) {
      Job j =
          new JobFactory(OperatorConfig.defaults())
              .build(
                  new JobFactory.Request(
                      m, st, step, JobNames.of("shop", step, "abcd1234"), null, null));
      var pod = j.getSpec().getTemplate().getSpec();
      assertThat(pod.getVolumes())
          .extracting(
              v ->
                  v.getPersistentVolumeClaim() == null
                      ? null
                      : v.getPersistentVolumeClaim().getClaimName())
          .contains("data", "shop-snapcopy-abcd1234")
          .doesNotContain("backups");
      assertThat(pod.getContainers().get(0).getVolumeMounts())
          .anyMatch(v -> v.getMountPath().equals("/var/lib/dbguard/snapshot"));
      assertThat(pod.getContainers().get(0).getArgs())
          .containsExactly(
              step == Step.VERIFY ? "verify-data" : step == Step.RESTORE ? "restore" : "verify",
              step == Step.SNAPSHOT_CHECK ? "--copy" : "--from-copy",
              "/var/lib/dbguard/snapshot/db/app.db",
              "--termination-log",
              "/dev/termination-log");
    }
  }
}
