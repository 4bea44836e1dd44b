package io.dbguard.operator.plan;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.BackupStatusRef;
import io.dbguard.operator.model.CurrentStep;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.DatabaseSpec;
import io.dbguard.operator.model.DatabaseVolume;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.FenceState;
import io.dbguard.operator.model.FenceStatus;
import io.dbguard.operator.model.FencedWorkload;
import io.dbguard.operator.model.LintMode;
import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.model.OnFailure;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.RolloutSpec;
import io.dbguard.operator.model.SafetySpec;
import io.dbguard.operator.model.SecretKeyRef;
import io.dbguard.operator.model.SeedPolicy;
import io.dbguard.operator.model.SeedSpec;
import io.dbguard.operator.model.WorkloadKind;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.operator.model.WriteFence;
import io.dbguard.operator.plan.JobObservation.State;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test builders that read like prose: {@code aMigration().forImage("shop:v2").onSqlite("data")}.
 */
public final class TestingObservations {
  public static final String NAME = "shop";
  public static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private final DatabaseMigrationSpec spec = new DatabaseMigrationSpec();
  private DatabaseMigrationStatus status;
  private final List<JobObservation> jobs = new ArrayList<>();
  private Validation validation = Validation.ok();
  private Optional<String> blockingRun = Optional.empty();
  private String retryToken;
  private long generation = 1;
  private final List<WorkloadObservation> workloads = new ArrayList<>();
  private SnapshotObservation snapshot;
  private String approval;
  private RestoreAsk restore;

  private TestingObservations() {
    DatabaseSpec db = new DatabaseSpec();
    db.setName("shop");
    db.setEngine(Engine.PostgreSQL);
    SecretKeyRef ref = new SecretKeyRef();
    ref.setName("shop-db");
    db.setUrlSecretRef(ref);
    spec.setDatabase(db);
    MigrateSpec m = new MigrateSpec();
    m.setImage("shop:v1");
    m.setCommand(List.of("bin/rails", "db:migrate"));
    spec.setMigrate(m);
  }

  public static TestingObservations aMigration() {
    return new TestingObservations();
  }

  /** {@code migrate.fromWorkload} Deployment/shop (container web) that does not exist yet. */
  public TestingObservations fromWorkloadNotYetCreated() {
    io.dbguard.operator.model.WorkloadRef w = new io.dbguard.operator.model.WorkloadRef();
    w.setKind(io.dbguard.operator.model.WorkloadKind.Deployment);
    w.setName("shop");
    w.setContainer("web");
    spec.getMigrate().setFromWorkload(w);
    spec.getMigrate().setImage(null);
    return this;
  }

  /** Status carries this reason and message (e.g. the cause recorded when a restore started). */
  public TestingObservations recorded(String reason, String message) {
    status.setReason(reason);
    status.setMessage(message);
    return this;
  }

  public TestingObservations forImage(String image) {
    spec.getMigrate().setImage(image);
    return this;
  }

  public TestingObservations onSqlite(String claim) {
    spec.getDatabase().setEngine(Engine.SQLite);
    spec.getDatabase().setUrlSecretRef(null);
    DatabaseVolume v = new DatabaseVolume();
    v.setClaimName(claim);
    v.setPath("app.db");
    spec.getDatabase().setVolume(v);
    return this;
  }

  public TestingObservations withAnalysis(LintMode mode) {
    SafetySpec s = new SafetySpec();
    s.setLint(mode);
    s.setMigrationsPath("/app/db/migrate");
    spec.setSafety(s);
    return this;
  }

  public TestingObservations withSeed(SeedPolicy policy) {
    SeedSpec s = new SeedSpec();
    s.setCommand(List.of("bin/rails", "db:seed"));
    s.setPolicy(policy);
    spec.setSeed(s);
    return this;
  }

  public TestingObservations onFailure(OnFailure f) {
    spec.setOnFailure(f);
    return this;
  }

  public TestingObservations backupNotRequired() {
    spec.setBackup(new io.dbguard.operator.model.BackupSpec());
    spec.getBackup().setRequired(false);
    return this;
  }

  /** Edits the spec as a user would (after {@link #finished}: an edit of a finished attempt). */
  public TestingObservations edit(java.util.function.Consumer<DatabaseMigrationSpec> change) {
    change.accept(spec);
    return this;
  }

  public TestingObservations retry(String token) {
    this.retryToken = token;
    return this;
  }

  /** The status of an attempt of the spec as it is now (same revision). */
  public TestingObservations running(Step step) {
    return inPhase(step.phase(), step, revision());
  }

  /** The status of an attempt of an older spec (different revision). */
  public TestingObservations runningOldRevision(Step step) {
    return inPhase(step.phase(), step, "0ld0ld00");
  }

  public TestingObservations finished(Phase phase) {
    return inPhase(phase, null, revision());
  }

  public TestingObservations finishedOldRevision(Phase phase) {
    return inPhase(phase, null, "0ld0ld00");
  }

  public TestingObservations inPhase(Phase phase, Step step, String rev) {
    status = new DatabaseMigrationStatus();
    status.setPhase(phase);
    status.setRevision(rev);
    status.setImage(spec.getMigrate().getImage());
    status.setAttempt(1);
    if (step != null) {
      CurrentStep c = new CurrentStep();
      c.setStep(step.label());
      c.setJob(JobNames.of(NAME, step, rev));
      if (step == Step.RESTORE) {
        c.setRestoreCause(Reason.MIGRATION_FAILED);
      }
      status.setCurrent(c);
    }
    return this;
  }

  public TestingObservations jobSeenBefore() {
    status.getCurrent().setJobUid("uid-1");
    return this;
  }

  public TestingObservations withRecordedBackup() {
    return withRecordedBackup("shop_production_20260101_115900");
  }

  /** {@code status.backup}: the verified backup {@code name} protects the attempt. */
  public TestingObservations withRecordedBackup(String name) {
    BackupStatusRef b = new BackupStatusRef();
    b.setName(name);
    b.setVerifiedAt("2026-01-01T11:59:30Z");
    status.setBackup(b);
    return this;
  }

  /** A Job of the status's revision for {@code step}. */
  public TestingObservations job(Step step, State state, Integer exitCode) {
    return job(step, state, exitCode, null, null);
  }

  public TestingObservations job(
      Step step, State state, Integer exitCode, String jobFailure, Map<String, String> details) {
    String rev = status == null ? revision() : status.getRevision();
    StepResult.BackupRef backup =
        step == Step.BACKUP && state == State.SUCCEEDED
            ? new StepResult.BackupRef("shop_production_20260101_115900", "f", 10, "ab", "t")
            : null;
    StepResult r =
        exitCode == null
            ? null
            : new StepResult(step.id(), exitCode, "R", "step said " + exitCode, backup, details);
    jobs.add(
        new JobObservation(
            JobNames.of(NAME, step, rev), "uid-" + step, step, state, exitCode, r, jobFailure));
    return this;
  }

  /** The backup step found no database (reason BackupSkipped, newDatabase=true, no backup). */
  public TestingObservations backupSkippedAsNew() {
    String rev = status == null ? revision() : status.getRevision();
    StepResult r =
        new StepResult(
            Step.BACKUP.id(),
            0,
            "BackupSkipped",
            "no backup needed: the database does not exist yet",
            null,
            Map.of("newDatabase", "true"));
    jobs.add(
        new JobObservation(
            JobNames.of(NAME, Step.BACKUP, rev),
            "uid-" + Step.BACKUP,
            Step.BACKUP,
            State.SUCCEEDED,
            0,
            r,
            null));
    return this;
  }

  /** Lists Deployment {@code name} in {@code spec.rollout.workloads} with {@code fence}. */
  public TestingObservations rolloutDeployment(String name, WriteFence fence) {
    RolloutSpec r = spec.getRollout() == null ? new RolloutSpec() : spec.getRollout();
    List<WorkloadRef> refs = r.getWorkloads() == null ? new ArrayList<>() : r.getWorkloads();
    WorkloadRef ref = new WorkloadRef();
    ref.setKind(WorkloadKind.Deployment);
    ref.setName(name);
    refs.add(ref);
    r.setWorkloads(refs);
    r.setWriteFence(fence);
    spec.setRollout(r);
    return this;
  }

  /** The observer saw Deployment {@code name} at {@code replicas} with {@code pods} pods. */
  public TestingObservations deploymentSeen(String name, int replicas, int pods) {
    workloads.add(new WorkloadObservation(WorkloadKind.Deployment, name, true, replicas, pods));
    return this;
  }

  /** status.fence in {@code state}, Deployment {@code name} recorded at {@code replicas}. */
  public TestingObservations fence(FenceState state, String name, int replicas) {
    FenceStatus f = new FenceStatus();
    f.setMode(WriteFence.ScaleToZero);
    f.setState(state);
    f.setRevision(status.getRevision());
    f.setWorkloads(
        new ArrayList<>(List.of(new FencedWorkload(WorkloadKind.Deployment, name, replicas))));
    status.setFence(f);
    return this;
  }

  /** {@code spec.rollout.writeFence: ReadOnly} (no workloads listed). */
  public TestingObservations readOnlyFence() {
    RolloutSpec r = spec.getRollout() == null ? new RolloutSpec() : spec.getRollout();
    r.setWriteFence(WriteFence.ReadOnly);
    spec.setRollout(r);
    return this;
  }

  /** status.fence: a ReadOnly fence of the status's revision in {@code state}. */
  public TestingObservations readOnlyFence(FenceState state) {
    FenceStatus f = new FenceStatus();
    f.setMode(WriteFence.ReadOnly);
    f.setState(state);
    f.setRevision(status.getRevision());
    status.setFence(f);
    return this;
  }

  /** status.fence.breachedAt. */
  public TestingObservations breachedAt(String at) {
    status.getFence().setBreachedAt(at);
    return this;
  }

  /** status.reason of the recorded status. */
  public TestingObservations reason(String reason) {
    status.setReason(reason);
    return this;
  }

  /** {@code spec.approval} with {@code mode} (null: unset, i.e. Manual) and {@code maxWait}. */
  public TestingObservations withApproval(
      io.dbguard.operator.model.ApprovalMode mode, Long maxWaitSeconds) {
    io.dbguard.operator.model.ApprovalSpec a = new io.dbguard.operator.model.ApprovalSpec();
    a.setMode(mode);
    a.setMaxWaitSeconds(maxWaitSeconds);
    spec.setApproval(a);
    return this;
  }

  /** The {@code dbguard.io/approve} annotation's value. */
  public TestingObservations approve(String value) {
    this.approval = value;
    return this;
  }

  /**
   * status.plan of the status's revision with {@code exitCode}, waiting for approval since {@code
   * awaitingSince} (null: not waiting yet); the plan Job is gone (TTL).
   */
  public TestingObservations planRecorded(int exitCode, String awaitingSince) {
    io.dbguard.operator.model.PlanStatus p = new io.dbguard.operator.model.PlanStatus();
    p.setRevision(status.getRevision());
    p.setJob(JobNames.of(NAME, Step.PLAN, status.getRevision()));
    p.setExitCode(exitCode);
    p.setSummary("2 pending migrations");
    p.setAwaitingSince(awaitingSince);
    status.setPlan(p);
    return this;
  }

  /** Phase AwaitingApproval of the current revision since {@code since}, plan Job gone. */
  public TestingObservations awaitingApproval(String since) {
    return inPhase(Phase.AwaitingApproval, Step.PLAN, revision()).planRecorded(0, since);
  }

  public TestingObservations validation(Validation v) {
    this.validation = v;
    return this;
  }

  public TestingObservations blockedBy(String other) {
    this.blockingRun = Optional.of(other);
    return this;
  }

  public String revision() {
    return Revisions.of(spec, spec.getMigrate().getImage(), retryToken);
  }

  public Observation build() {
    return new Observation(
        "apps",
        NAME,
        generation,
        spec,
        status,
        retryToken,
        spec.getMigrate().getImage(),
        revision(),
        jobs,
        validation,
        blockingRun,
        NOW,
        workloads,
        snapshot,
        approval,
        restore);
  }

  /** The {@code dbguard.io/restore} annotation {@code value}; the observer found {@code backup}. */
  public TestingObservations restoreRequest(String value, BackupRecord backup) {
    this.restore = new RestoreAsk(value, backup);
    return this;
  }

  /**
   * A DatabaseBackup record {@code name} of database {@code database} on the default backup storage
   * (no claim), a dump file {@code /var/lib/dbguard/backups/<file>.dump}.
   */
  public static BackupRecord backupRecord(
      String name, String database, String file, boolean verified) {
    return new BackupRecord(
        name,
        database,
        null,
        null,
        "/var/lib/dbguard/backups/" + file + ".dump",
        io.dbguard.operator.model.BackupMethod.Dump,
        io.dbguard.operator.model.BackupState.Ready,
        verified,
        false,
        NOW.minusSeconds(3600));
  }

  /**
   * The status is running the restore requested with {@code value} of DatabaseBackup {@code backup}
   * (file name {@code backupName}): phase Restoring, its Job recorded.
   */
  public TestingObservations restoringOnRequest(String value, String backup, String backupName) {
    inPhase(Phase.Restoring, null, revision());
    CurrentStep c = new CurrentStep();
    c.setStep(Step.RESTORE.label());
    c.setJob(RestoreRequests.jobName(NAME, value));
    c.setRestoreCause(RestoreRequests.RESTORE_REQUESTED);
    status.setCurrent(c);
    io.dbguard.operator.model.RestoreRequestStatus r =
        new io.dbguard.operator.model.RestoreRequestStatus();
    r.setValue(value);
    r.setBackup(backup);
    r.setBackupName(backupName);
    r.setRevision(revision());
    r.setJob(c.getJob());
    r.setState(io.dbguard.operator.model.RestoreRequestState.Pending);
    status.setRestoreRequest(r);
    restore = new RestoreAsk(value, null);
    return this;
  }

  /** The requested restore's Job ({@link #restoringOnRequest}) in {@code state}. */
  public TestingObservations requestedRestoreJob(State state, Integer exitCode) {
    String name = status.getCurrent().getJob();
    StepResult r =
        exitCode == null
            ? null
            : new StepResult("restore", exitCode, "R", "restore said " + exitCode, null, null);
    jobs.add(new JobObservation(name, "uid-rr", Step.RESTORE, state, exitCode, r, null));
    return this;
  }

  /** status.restoreRequest recorded for {@code value} in {@code state}. */
  public TestingObservations restoreRecorded(
      String value, io.dbguard.operator.model.RestoreRequestState state) {
    io.dbguard.operator.model.RestoreRequestStatus r =
        new io.dbguard.operator.model.RestoreRequestStatus();
    r.setValue(value);
    r.setState(state);
    status.setRestoreRequest(r);
    return this;
  }

  /**
   * A running VolumeSnapshot attempt at {@code step} behind a write fence that is up (Deployment
   * web recorded at 3, now at 0 with no pods).
   */
  public static TestingObservations aSnapshotMigrationFencedAt(Step step) {
    return aMigration()
        .volumeSnapshot()
        .rolloutDeployment("web", null)
        .running(step)
        .fence(FenceState.Fenced, "web", 3)
        .deploymentSeen("web", 0, 0);
  }

  /** {@code backup.method: VolumeSnapshot} (class csi-snap) of the SQLite claim "data". */
  public TestingObservations volumeSnapshot() {
    onSqlite("data");
    io.dbguard.operator.model.BackupSpec b =
        spec.getBackup() == null ? new io.dbguard.operator.model.BackupSpec() : spec.getBackup();
    b.setMethod(io.dbguard.operator.model.BackupMethod.VolumeSnapshot);
    b.setVolumeSnapshotClassName("csi-snap");
    spec.setBackup(b);
    return this;
  }

  /** status.snapshot of the status's revision in {@code state}; the backup step's "job" is it. */
  public TestingObservations snapshotRecorded(io.dbguard.operator.model.SnapshotState state) {
    io.dbguard.operator.model.SnapshotStatus rec = new io.dbguard.operator.model.SnapshotStatus();
    rec.setName(SnapshotPlanner.name(NAME, status.getRevision()));
    rec.setRevision(status.getRevision());
    rec.setSourceClaim("data");
    rec.setVolumeSnapshotClassName("csi-snap");
    rec.setState(state);
    status.setSnapshot(rec);
    if (status.getCurrent() != null && Step.BACKUP.label().equals(status.getCurrent().getStep())) {
      status.getCurrent().setJob(rec.getName());
    }
    return this;
  }

  /**
   * The observer saw the recorded VolumeSnapshot: absent, or present with the given facts.
   *
   * @param exists whether it exists
   * @param bound bound to a content with a creationTime
   * @param ready readyToUse
   * @param error status.error.message, or null
   */
  public TestingObservations snapshotSeen(
      boolean exists, boolean bound, boolean ready, String error) {
    String name = status.getSnapshot().getName();
    snapshot =
        exists
            ? new SnapshotObservation(
                name,
                true,
                bound ? "snapcontent-1" : null,
                bound ? "2026-01-01T11:59:00Z" : null,
                bound ? "1Gi" : null,
                ready,
                error,
                false)
            : SnapshotObservation.absent(name, false);
    return this;
  }
}
