package io.dbguard.operator.act;

import io.dbguard.operator.OperatorConfig;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.RestoreRequests;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the Job of one step. Pure: the same inputs give the same Job.
 *
 * <p>Every Job: name {@code <cr>-<step>-<revision8>}, {@code backoffLimit: 0} (the operator decides
 * retries), {@code restartPolicy: Never}, {@code activeDeadlineSeconds}, {@code
 * ttlSecondsAfterFinished}, a controller owner reference to the DatabaseMigration, labels {@code
 * app.kubernetes.io/managed-by=dbguard}, {@code app.kubernetes.io/part-of=<cr>}, {@code
 * dbguard.io/step}, {@code dbguard.io/database}, annotation {@code dbguard.io/revision}. Pods run
 * as non-root (uid 65532 unless the workload says otherwise) with a read-only root filesystem and a
 * writable {@code /tmp} emptyDir. Database credentials reach the container only as the {@code
 * DATABASE_URL} environment variable from the Secret reference, never in args.
 *
 * <p>dbguard steps run {@code dbguard <step> … --termination-log /dev/termination-log} in the tool
 * image (see {@link #toolArgs}); migrate and seed run the application's command in its image.
 */
public final class JobFactory {
  /** Mount point of the backup volume in dbguard step containers. */
  public static final String BACKUP_DIR = "/var/lib/dbguard/backups";

  /** Mount point of the SQLite database volume. */
  public static final String DB_DIR = "/var/lib/dbguard/db";

  /** Where the analyze step's init container copies the migration files. */
  public static final String MIGRATIONS_DIR = "/var/lib/dbguard/migrations";

  /** Where the built-in SQL runner's ConfigMap is mounted. */
  public static final String SQL_DIR = "/var/lib/dbguard/sql";

  public static final String TERMINATION_LOG = "/dev/termination-log";
  public static final long NON_ROOT_UID = 65532L;

  private final OperatorConfig config;

  public JobFactory(OperatorConfig config) {
    this.config = config;
  }

  /**
   * Inputs of one Job.
   *
   * @param migration the DatabaseMigration (owner)
   * @param status the status as recorded for this step (revision, image, backup)
   * @param step the step
   * @param jobName the deterministic name
   * @param workloadTemplate the pod template of {@code migrate.fromWorkload}, or null
   * @param pinnedNode node where the SQLite ReadWriteOnce claim is in use, or null
   */
  public record Request(
      DatabaseMigration migration,
      DatabaseMigrationStatus status,
      Step step,
      String jobName,
      PodTemplateSpec workloadTemplate,
      String pinnedNode) {}

  /** Builds the Job for {@code r}. */
  public Job build(Request r) {
    DatabaseMigration m = r.migration();
    DatabaseMigrationSpec spec = m.getSpec();
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
    labels.put(Labels.PART_OF, m.getMetadata().getName());
    labels.put(Labels.STEP, r.step().id());
    labels.put(Labels.DATABASE, spec.getDatabase().getName());

    PodSpec pod = new PodSpec();
    pod.setRestartPolicy("Never");
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName("tmp").withNewEmptyDir().endEmptyDir().build());
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(new VolumeMountBuilder().withName("tmp").withMountPath("/tmp").build());
    boolean appImage =
        r.step().isApp() && (r.step() == Step.SEED || spec.getMigrate().getSql() == null);
    List<EnvVar> env =
        new ArrayList<>(databaseEnv(spec, appImage ? urlEnvName(spec) : "DATABASE_URL"));
    mountDatabase(spec, r.pinnedNode(), volumes, mounts, pod);

    Container main;
    long deadline = config.stepTimeoutSeconds();
    PodSecurityContext podSecurity = hardenedPod();
    SecurityContext containerSecurity = hardenedContainer();
    if (r.step() == Step.MIGRATE || r.step() == Step.SEED) {
      MigrateSpec mig = spec.getMigrate();
      deadline = mig.getTimeoutSeconds() == null ? 1800 : mig.getTimeoutSeconds();
      if (mig.getSql() != null && r.step() == Step.MIGRATE) {
        volumes.add(
            new VolumeBuilder()
                .withName("sql")
                .withNewConfigMap()
                .withName(mig.getSql().getConfigMapName())
                .endConfigMap()
                .build());
        mounts.add(
            new VolumeMountBuilder()
                .withName("sql")
                .withMountPath(SQL_DIR)
                .withReadOnly(true)
                .build());
        main = toolContainer(r, spec, env, mounts);
      } else {
        main = appContainer(r, env, mounts, volumes, pod);
        Container source = workloadContainer(r);
        if (source != null && source.getSecurityContext() != null) {
          containerSecurity = source.getSecurityContext();
        }
        if (r.workloadTemplate() != null
            && r.workloadTemplate().getSpec().getSecurityContext() != null) {
          podSecurity = r.workloadTemplate().getSpec().getSecurityContext();
        }
      }
    } else {
      if (r.step() == Step.FENCE || r.step() == Step.UNFENCE) {
        // the read-only fence's Jobs only connect to the database
      } else if (r.step() == Step.PLAN) {
        podSecurity = planListing(r, spec, mounts, volumes, pod, podSecurity);
        PlanJobs.mount(spec, workloadContainer(r), volumes, mounts);
      } else if (SnapshotJobs.usesCopy(spec, r.status(), r.step())) {
        podSecurity = SnapshotJobs.mount(spec, r.status(), volumes, mounts, podSecurity);
      } else if (r.step() != Step.ANALYZE) {
        volumes.add(backupVolume(spec));
        mounts.add(backupMount(spec));
      } else {
        volumes.add(
            new VolumeBuilder().withName("migrations").withNewEmptyDir().endEmptyDir().build());
        mounts.add(
            new VolumeMountBuilder().withName("migrations").withMountPath(MIGRATIONS_DIR).build());
        pod.setInitContainers(
            List.of(
                new ContainerBuilder()
                    .withName("copy-migrations")
                    .withImage(r.status().getImage())
                    .withCommand(
                        "cp",
                        "-R",
                        spec.getSafety().getMigrationsPath() + "/.",
                        MIGRATIONS_DIR + "/")
                    .withVolumeMounts(mounts)
                    .withSecurityContext(hardenedContainer())
                    .withResources(config.jobs().resources())
                    .build()));
      }
      main = toolContainer(r, spec, env, mounts);
    }
    main.setSecurityContext(containerSecurity);
    main.setTerminationMessagePath(TERMINATION_LOG);
    main.setTerminationMessagePolicy("FallbackToLogsOnError");
    pod.setContainers(List.of(main));
    pod.setVolumes(volumes);
    pod.setSecurityContext(podSecurity);

    return new JobBuilder()
        .withNewMetadata()
        .withName(r.jobName())
        .withNamespace(m.getMetadata().getNamespace())
        .withLabels(labels)
        .withAnnotations(Map.of(Labels.REVISION_ANNOTATION, r.status().getRevision()))
        .withOwnerReferences(controllerReference(m))
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withActiveDeadlineSeconds(deadline)
        .withTtlSecondsAfterFinished(
            spec.getJobTtlSeconds() == null ? 86400 : spec.getJobTtlSeconds())
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .withAnnotations(Map.of(Labels.REVISION_ANNOTATION, r.status().getRevision()))
        .endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  /**
   * The arguments of a dbguard step container ({@code dbguard} is the image's entry point). These
   * are the CLI contract with the {@code init-container} module:
   *
   * <ul>
   *   <li>plan ({@code spec.approval}): {@code plan --sql-dir <SQL_DIR>} or {@code plan
   *       --migrate-command <command> [--plan-command … --workdir …]}, {@code --environment <env>},
   *       the acknowledgements ({@link PlanJobs})
   *   <li>analyze: {@code lint <MIGRATIONS_DIR> --format json --environment <env> [--acknowledge
   *       RULE:FILE]…} (exit code 0/1/2 decides; the termination log has the finding counts)
   *   <li>backup: {@code backup --backup-dir <dir> --database-name <name> --environment <env>
   *       --image <image> --revision <rev8> --migration <ns/name>}
   *   <li>migrate (built-in SQL runner): {@code migrate --sql-dir <SQL_DIR>}
   *   <li>verify: {@code verify-data --backup-dir <dir> --backup <name> [--acknowledge-data-loss
   *       TABLE[.COLUMN]]…}
   *   <li>restore: {@code restore --backup-dir <dir> --backup <name>} ({@link
   *       RestoreRequests#backupFor}), or {@code restore --set-aside-new} without a backup
   *   <li>with {@code rollout.writeFence: ReadOnly}: {@code fence raise} before the backup and
   *       {@code fence lift} after the attempt
   *   <li>verify and restore with {@code backup.method: VolumeSnapshot}: {@code verify-data
   *       --from-copy <snapshot dir>/<path>} and {@code restore --from-copy <snapshot dir>/<path>}
   *       on the claim provisioned from the snapshot ({@link SnapshotJobs}); with {@code
   *       backup.verify} the snapshot check {@code verify --copy <snapshot dir>/<path>} before the
   *       migration
   * </ul>
   *
   * each followed by {@code --termination-log /dev/termination-log}. The database comes from {@code
   * DATABASE_URL} in the environment.
   */
  static List<String> toolArgs(
      Step step, DatabaseMigrationSpec spec, DatabaseMigrationStatus st, String migration) {
    List<String> a = new ArrayList<>();
    String backup = RestoreRequests.backupFor(step, st);
    switch (step) {
      case ANALYZE -> {
        a.addAll(
            List.of(
                "lint",
                MIGRATIONS_DIR,
                "--format",
                "json",
                "--environment",
                MigrationPlanner.environment(spec)));
        if (spec.getSafety().getAcknowledge() != null) {
          spec.getSafety().getAcknowledge().stream()
              .filter(k -> k.getRule() != null && k.getFile() != null)
              .forEach(k -> a.addAll(List.of("--acknowledge", k.getRule() + ":" + k.getFile())));
        }
      }
      case BACKUP -> {
        a.addAll(
            List.of(
                "backup",
                "--backup-dir",
                BACKUP_DIR,
                "--database-name",
                spec.getDatabase().getName(),
                "--environment",
                MigrationPlanner.environment(spec),
                "--image",
                st.getImage(),
                "--revision",
                st.getRevision(),
                "--migration",
                migration,
                // a database that does not exist yet or has no tables: nothing to back up
                "--skip-if-new"));
        Integer level = spec.getBackup() == null ? null : spec.getBackup().getCompressionLevel();
        if (level != null && spec.getDatabase().getEngine() == Engine.PostgreSQL) {
          a.addAll(List.of("--compression-level", level.toString()));
        }
        if (contentChecksum(spec)) {
          a.add("--content-checksum");
        }
      }
      case PLAN -> a.addAll(PlanJobs.args(spec, null));
      case FENCE -> a.addAll(List.of("fence", "raise"));
      case UNFENCE -> a.addAll(List.of("fence", "lift"));
      case SNAPSHOT_CHECK -> a.addAll(List.of("verify", "--copy", SnapshotJobs.fromCopy(spec)));
      case MIGRATE -> a.addAll(List.of("migrate", "--sql-dir", SQL_DIR));
      case VERIFY -> {
        a.addAll(
            SnapshotJobs.usesCopy(spec, st, step)
                ? List.of("verify-data", "--from-copy", SnapshotJobs.fromCopy(spec))
                : List.of("verify-data", "--backup-dir", BACKUP_DIR, "--backup", backup));
        // against a dump the manifest decides; a snapshot copy is profiled here, so ask for it
        if (contentChecksum(spec) && SnapshotJobs.usesCopy(spec, st, step)) {
          a.add("--content-checksum");
        }
        if (spec.getSafety() != null && spec.getSafety().getAcknowledgeDataLoss() != null) {
          spec.getSafety()
              .getAcknowledgeDataLoss()
              .forEach(t -> a.addAll(List.of("--acknowledge-data-loss", t)));
        }
      }
      case RESTORE -> {
        a.addAll(
            SnapshotJobs.usesCopy(spec, st, step)
                ? List.of("restore", "--from-copy", SnapshotJobs.fromCopy(spec))
                : backup == null
                    // no backup: the database did not exist before this attempt
                    ? List.of("restore", "--set-aside-new")
                    : List.of("restore", "--backup-dir", BACKUP_DIR, "--backup", backup));
        Integer keep = spec.getBackup() == null ? null : spec.getBackup().getKeepFailedCopies();
        if (keep != null) {
          a.addAll(List.of("--keep-failed-copies", keep.toString()));
        }
      }
      default -> throw new IllegalArgumentException(step + " is not a dbguard tool step");
    }
    a.addAll(List.of("--termination-log", TERMINATION_LOG));
    return a;
  }

  /**
   * The dbguard container of a step: {@code jobs.resources} and, when set, {@code
   * JAVA_TOOL_OPTIONS} from {@code jobs.javaOptions} (so the heap follows the container limit) and
   * the operator's {@code DBGUARD_LOG_FORMAT}.
   */
  private Container toolContainer(
      Request r, DatabaseMigrationSpec spec, List<EnvVar> baseEnv, List<VolumeMount> mounts) {
    List<EnvVar> env = new ArrayList<>(baseEnv);
    if (config.jobs().javaOptions() != null) {
      env.add(new EnvVar("JAVA_TOOL_OPTIONS", config.jobs().javaOptions(), null));
    }
    if (config.jobs().logFormat() != null) {
      env.add(new EnvVar("DBGUARD_LOG_FORMAT", config.jobs().logFormat(), null));
    }
    return new ContainerBuilder()
        .withName("dbguard")
        .withImage(spec.getToolImage() == null ? config.toolImage() : spec.getToolImage())
        .withCommand("dbguard")
        .withArgs(
            r.step() == Step.PLAN
                ? PlanJobs.withTerminationLog(PlanJobs.args(spec, workloadContainer(r)))
                : toolArgs(
                    r.step(),
                    spec,
                    r.status(),
                    r.migration().getMetadata().getNamespace()
                        + "/"
                        + r.migration().getMetadata().getName()))
        .withEnv(env)
        .withVolumeMounts(mounts)
        .withResources(config.jobs().resources())
        .build();
  }

  /**
   * The plan step's init container that runs the framework's read-only listing in the attempt's
   * image ({@link PlanJobs#listing}), when the command is one {@code dbguard plan} recognises.
   *
   * @return the pod security context to use (the workload's when it has one)
   */
  private PodSecurityContext planListing(
      Request r,
      DatabaseMigrationSpec spec,
      List<VolumeMount> mounts,
      List<Volume> volumes,
      PodSpec pod,
      PodSecurityContext podSecurity) {
    Container source = workloadContainer(r);
    if (!PlanJobs.runsListing(spec, source)) {
      return podSecurity;
    }
    Container app =
        appContainer(
            r,
            new ArrayList<>(databaseEnv(spec, urlEnvName(spec))),
            new ArrayList<>(mounts),
            volumes,
            pod);
    pod.setInitContainers(
        List.of(
            PlanJobs.listing(
                spec,
                source,
                app,
                source != null && source.getSecurityContext() != null
                    ? source.getSecurityContext()
                    : hardenedContainer(),
                java.util.Optional.ofNullable(
                    spec.getSafety() == null ? null : spec.getSafety().getMigrationsPath()))));
    return r.workloadTemplate() != null
            && r.workloadTemplate().getSpec().getSecurityContext() != null
        ? r.workloadTemplate().getSpec().getSecurityContext()
        : podSecurity;
  }

  /** The application's container: fromWorkload copied, then explicit spec fields on top. */
  private Container appContainer(
      Request r,
      List<EnvVar> baseEnv,
      List<VolumeMount> mounts,
      List<Volume> volumes,
      PodSpec pod) {
    MigrateSpec mig = r.migration().getSpec().getMigrate();
    Container source = workloadContainer(r);
    Map<String, EnvVar> env = new LinkedHashMap<>();
    List<EnvFromSource> envFrom = new ArrayList<>();
    if (source != null) {
      PodSpec wl = r.workloadTemplate().getSpec();
      if (source.getEnv() != null) {
        source.getEnv().forEach(e -> env.put(e.getName(), e));
      }
      if (source.getEnvFrom() != null) {
        envFrom.addAll(source.getEnvFrom());
      }
      if (source.getVolumeMounts() != null && wl.getVolumes() != null) {
        Set<String> used =
            source.getVolumeMounts().stream().map(VolumeMount::getName).collect(Collectors.toSet());
        wl.getVolumes().stream().filter(v -> used.contains(v.getName())).forEach(volumes::add);
        mounts.addAll(source.getVolumeMounts());
      }
      pod.setServiceAccountName(wl.getServiceAccountName());
      pod.setImagePullSecrets(wl.getImagePullSecrets());
      pod.setNodeSelector(wl.getNodeSelector());
      List<Toleration> tol = wl.getTolerations();
      pod.setTolerations(tol);
    }
    baseEnv.forEach(e -> env.put(e.getName(), e));
    if (mig.getEnv() != null) {
      mig.getEnv().forEach(e -> env.put(e.getName(), e));
    }
    if (mig.getEnvFrom() != null) {
      envFrom.addAll(mig.getEnvFrom());
    }
    if (mig.getServiceAccountName() != null) {
      pod.setServiceAccountName(mig.getServiceAccountName());
    }
    List<String> command = mig.getCommand();
    List<String> args = mig.getArgs();
    if (r.step() == Step.SEED) {
      command = r.migration().getSpec().getSeed().getCommand();
      args = null;
    }
    return new ContainerBuilder()
        .withName(r.step() == Step.SEED ? "seed" : "migrate")
        .withImage(r.status().getImage())
        .withCommand(command != null ? command : source == null ? null : source.getCommand())
        .withArgs(args)
        .withEnv(new ArrayList<>(env.values()))
        .withEnvFrom(envFrom)
        .withVolumeMounts(mounts)
        .withResources(
            mig.getResources() != null
                ? mig.getResources()
                : source != null && source.getResources() != null
                    ? source.getResources()
                    : config.jobs().resources())
        .build();
  }

  private static Container workloadContainer(Request r) {
    if (r.workloadTemplate() == null) {
      return null;
    }
    List<Container> cs = r.workloadTemplate().getSpec().getContainers();
    String want = r.migration().getSpec().getMigrate().getFromWorkload().getContainer();
    return cs.stream()
        .filter(c -> want == null || want.equals(c.getName()))
        .findFirst()
        .orElse(null);
  }

  private static String urlEnvName(DatabaseMigrationSpec spec) {
    String n = spec.getMigrate().getDatabaseUrlEnv();
    return n == null ? "DATABASE_URL" : n;
  }

  /** DATABASE_URL: from the Secret (PostgreSQL) or the mounted file path (SQLite, no secret). */
  static List<EnvVar> databaseEnv(DatabaseMigrationSpec spec, String name) {
    List<EnvVar> env = new ArrayList<>();
    if (spec.getDatabase().getEngine() == Engine.SQLite) {
      env.add(
          new EnvVar(
              name, "sqlite:" + DB_DIR + "/" + spec.getDatabase().getVolume().getPath(), null));
    } else {
      var ref = spec.getDatabase().getUrlSecretRef();
      env.add(
          new EnvVarBuilder()
              .withName(name)
              .withNewValueFrom()
              .withNewSecretKeyRef(
                  ref.getKey() == null ? "url" : ref.getKey(), ref.getName(), false)
              .endValueFrom()
              .build());
    }
    return env;
  }

  /**
   * SQLite: mounts the database claim at {@link #DB_DIR} and, when the ReadWriteOnce claim is in
   * use on a node, pins the pod to that node. PostgreSQL: nothing.
   */
  static void mountDatabase(
      DatabaseMigrationSpec spec,
      String pinnedNode,
      List<Volume> volumes,
      List<VolumeMount> mounts,
      PodSpec pod) {
    if (spec.getDatabase().getEngine() == Engine.SQLite) {
      volumes.add(
          new VolumeBuilder()
              .withName("database")
              .withNewPersistentVolumeClaim(spec.getDatabase().getVolume().getClaimName(), false)
              .build());
      mounts.add(new VolumeMountBuilder().withName("database").withMountPath(DB_DIR).build());
      if (pinnedNode != null) {
        pod.setAffinity(
            new io.fabric8.kubernetes.api.model.AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(
                    new NodeSelectorTermBuilder()
                        .addNewMatchExpression()
                        .withKey("kubernetes.io/hostname")
                        .withOperator("In")
                        .withValues(pinnedNode)
                        .endMatchExpression()
                        .build())
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build());
      }
    }
  }

  static Volume backupVolume(DatabaseMigrationSpec spec) {
    return new VolumeBuilder()
        .withName("backups")
        .withNewPersistentVolumeClaim(spec.getBackup().getStorage().getClaimName(), false)
        .build();
  }

  static VolumeMount backupMount(DatabaseMigrationSpec spec) {
    return new VolumeMountBuilder()
        .withName("backups")
        .withMountPath(BACKUP_DIR)
        .withSubPath(spec.getBackup().getStorage().getSubPath())
        .build();
  }

  static PodSecurityContext hardenedPod() {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(NON_ROOT_UID)
        .withRunAsGroup(NON_ROOT_UID)
        .withFsGroup(NON_ROOT_UID)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  static SecurityContext hardenedContainer() {
    return new SecurityContextBuilder()
        .withReadOnlyRootFilesystem(true)
        .withAllowPrivilegeEscalation(false)
        .withRunAsNonRoot(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .build();
  }

  /**
   * The owner reference that makes {@code m} the controller of a Job it creates: the Job is
   * garbage-collected with the migration and blocks its deletion until gone.
   */
  static io.fabric8.kubernetes.api.model.OwnerReference controllerReference(DatabaseMigration m) {
    return new OwnerReferenceBuilder()
        .withApiVersion(m.getApiVersion())
        .withKind(m.getKind())
        .withName(m.getMetadata().getName())
        .withUid(m.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** {@code backup.contentChecksum}, false when unset. */
  private static boolean contentChecksum(DatabaseMigrationSpec spec) {
    return spec.getBackup() != null && Boolean.TRUE.equals(spec.getBackup().getContentChecksum());
  }
}
