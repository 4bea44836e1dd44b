package io.dbguard.operator;

import io.dbguard.operator.act.BackupRecords;
import io.dbguard.operator.act.EventRecorder;
import io.dbguard.operator.act.FenceActions;
import io.dbguard.operator.act.JobFactory;
import io.dbguard.operator.act.JobLauncher;
import io.dbguard.operator.act.Labels;
import io.dbguard.operator.act.SnapshotActions;
import io.dbguard.operator.act.StatusRecorder;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationStatus;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.observe.DatabaseLocks;
import io.dbguard.operator.observe.InformedCaches;
import io.dbguard.operator.observe.MigrationObserver;
import io.dbguard.operator.plan.ApprovalPlanner;
import io.dbguard.operator.plan.JobNames;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.Plan;
import io.dbguard.operator.plan.RestoreRequests;
import io.dbguard.operator.plan.SnapshotPlanner;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Reconciles a {@link DatabaseMigration}: observe → plan → act (docs/design.md §5).
 *
 * <ol>
 *   <li>{@link MigrationObserver} builds the {@link Observation} (reads only);
 *   <li>{@link MigrationPlanner#plan} decides (pure);
 *   <li>{@link StatusRecorder} writes the resulting status first, with optimistic locking (a 409
 *       ends the pass before anything is created; it is reconciled again from fresh state, see
 *       {@link ReconcileFailure});
 *   <li>then {@link BackupRecords} records a new backup, {@link JobLauncher} creates the step's Job
 *       (create-if-absent by deterministic name);
 *   <li>then {@link EventRecorder} reports a phase change: after the Job create (also when it
 *       failed), so that a best-effort Event never delays the Job;
 *   <li>after a succeeded attempt, {@link RetentionStage} prunes old backups (its own plan in
 *       {@code status.retention}, its own Job).
 * </ol>
 *
 * Owned Jobs come from an informer event source (label {@code
 * app.kubernetes.io/managed-by=dbguard}, mapped to the owner), pods, workloads and referenced
 * objects from {@link InformedCaches}; a maximum reconciliation interval is the failsafe.
 * Status-only changes are not filtered out (generation-aware processing is off) so that the {@code
 * dbguard.io/retry} annotation, which does not bump the generation, is seen.
 */
@ControllerConfiguration(
    name = "databasemigration",
    generationAwareEventProcessing = false,
    maxReconciliationInterval =
        @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class DatabaseMigrationReconciler implements Reconciler<DatabaseMigration> {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigrationReconciler.class);
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Re-check interval while waiting for the database or resolving a workload's image, seconds. */
  static final long RECHECK_SECONDS = 5;

  private final OperatorConfig config;
  private final Clock clock;
  private final DatabaseLocks locks = new DatabaseLocks();
  private final JobFactory jobFactory;

  /** Jobs this process created (for tests). */
  private final AtomicLong jobsCreated = new AtomicLong();

  /** dbguard's own meters; none until {@link #setMetrics} (tests that do not look at them). */
  private volatile DbguardMetrics metrics;

  /** What the reconcile sees of the Job cache; identity except in tests that inject lag. */
  private volatile UnaryOperator<List<Job>> cacheView = UnaryOperator.identity();

  public DatabaseMigrationReconciler(OperatorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.jobFactory = new JobFactory(config);
  }

  public DatabaseMigrationReconciler(OperatorConfig config) {
    this(config, Clock.systemUTC());
  }

  /**
   * Filters the informer's Jobs before each observation, e.g. to hide Jobs created less than a few
   * seconds ago as a lagging cache would. For tests.
   */
  public void setCacheView(UnaryOperator<List<Job>> view) {
    this.cacheView = view;
  }

  /** The informer cache of DatabaseMigrations; null until the event sources are prepared. */
  private volatile IndexerResourceCache<DatabaseMigration> primaryCache;

  /** Pods, workloads and referenced objects; null until the event sources are prepared. */
  private volatile InformedCaches caches;

  /**
   * Records dbguard's meters ({@link DbguardMetrics}) from now on, and has {@code
   * dbguard_rollouts_blocked} count from this reconciler's cache ({@link #blockedRollouts}).
   */
  public void setMetrics(DbguardMetrics metrics) {
    this.metrics = metrics;
    metrics.countBlockedRolloutsWith(this::blockedRollouts);
  }

  /**
   * DatabaseMigrations in the informer cache whose rollout gate is closed: no status yet or a phase
   * other than {@code Succeeded}. 0 before the controller's event sources are prepared; every
   * replica counts from its own cache, so aggregate over replicas with {@code max}, not a sum.
   */
  public int blockedRollouts() {
    IndexerResourceCache<DatabaseMigration> cache = primaryCache;
    if (cache == null) {
      return 0;
    }
    return (int)
        cache
            .list()
            .filter(m -> m.getStatus() == null || m.getStatus().getPhase() != Phase.Succeeded)
            .count();
  }

  /** Number of Jobs this reconciler created since start. */
  public long jobsCreated() {
    return jobsCreated.get();
  }

  @Override
  public List<EventSource<?, DatabaseMigration>> prepareEventSources(
      EventSourceContext<DatabaseMigration> context) {
    primaryCache = context.getPrimaryCache();
    var jobs =
        InformerEventSourceConfiguration.from(Job.class, DatabaseMigration.class)
            .withName("jobs")
            .withLabelSelector(Labels.MANAGED_BY + "=" + Labels.MANAGED_BY_VALUE)
            .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(DatabaseMigration.class))
            .build();
    caches = new InformedCaches(context, config.secretsValidation());
    List<EventSource<?, DatabaseMigration>> sources = new ArrayList<>();
    sources.add(new InformerEventSource<>(jobs, context));
    sources.addAll(caches.eventSources());
    return sources;
  }

  @Override
  public UpdateControl<DatabaseMigration> reconcile(
      DatabaseMigration m, Context<DatabaseMigration> context) {
    String ns = m.getMetadata().getNamespace();
    String name = m.getMetadata().getName();
    MDC.put("resource", ns + "/" + name);
    DatabaseMigration[] latest = {m};
    try {
      return reconcile(m, context, context.getClient(), latest);
    } catch (RuntimeException e) {
      return new ReconcileFailure(context.getClient(), clock).handle(latest[0], e);
    } finally {
      MDC.remove("resource");
    }
  }

  /**
   * @param latest holder of the resource as last written (for an error status after a failure)
   */
  private UpdateControl<DatabaseMigration> reconcile(
      DatabaseMigration m,
      Context<DatabaseMigration> context,
      KubernetesClient client,
      DatabaseMigration[] latest) {
    String ns = m.getMetadata().getNamespace();
    String ref = ns + "/" + m.getMetadata().getName();
    List<Job> jobs = cacheView.apply(List.copyOf(context.getSecondaryResources(Job.class)));
    List<DatabaseMigration> sameNs = context.getPrimaryCache().list(ns).toList();
    MigrationObserver.Observed observed =
        new MigrationObserver(client, caches, config, locks, clock).observe(m, jobs, sameNs);
    Observation o = observed.observation();
    Plan fenced = MigrationPlanner.plan(o);
    LOG.debug("plan {}", fenced);
    // The write fence wraps the state machine's plan; its held Job waits while the fence goes up.
    Plan plan = fenced instanceof Plan.Fence f ? f.held() : fenced;
    boolean proceed = !(fenced instanceof Plan.Fence f) || f.proceed();

    String lockKey =
        m.getSpec() == null || m.getSpec().getDatabase() == null
            ? null
            : DatabaseLocks.key(ns, m.getSpec().getDatabase().getName());
    boolean newAttempt =
        (plan instanceof Plan.LaunchStep ls && ls.newAttempt())
            || (plan instanceof Plan.Snapshot sn && sn.newAttempt())
            || (plan instanceof Plan.StartRestore sr
                && RestoreRequests.RESTORE_REQUESTED.equals(sr.reason())
                && !RestoreRequests.isRequested(m.getStatus()));
    if (newAttempt) {
      if (!locks.tryAcquire(lockKey, ref, clock.instant())) {
        return UpdateControl.<DatabaseMigration>noUpdate()
            .rescheduleAfter(RECHECK_SECONDS, TimeUnit.SECONDS);
      }
    }

    DatabaseMigrationStatus before = m.getStatus();
    DatabaseMigrationStatus next = StatusRecorder.next(o, fenced);
    if (!JSON.asJson(next).equals(before == null ? "" : JSON.asJson(before))) {
      // A restore Job that found its dump gone: the record stops claiming Ready before the status
      // reports the failure (so no reader sees the failure beside a Ready record), and a failed
      // mark fails this pass before the status changes, so the retry marks it again.
      BackupRecords.Gone gone =
          BackupRecords.goneAfterRestore(m.getMetadata().getName(), next, o::job);
      if (gone != null) {
        new BackupRecords(client).markMissing(ns, gone, clock.instant());
      }
      // Write-ahead: the intent is durable before any Job exists.
      m = new StatusRecorder(client).write(m, next);
      latest[0] = m;
      if (metrics != null) {
        StepMeters.statusWritten(metrics, before, next, o, observed.jobs());
      }
    }
    // Events are written after this pass's Job create (or its failure): best effort, they must not
    // delay the Job, and they are still written once when the pass fails after the status write.
    List<Runnable> events = reportChanges(client, m, before, next);
    try {
      act(client, m, before, next, fenced, plan, proceed, observed);
    } finally {
      events.forEach(Runnable::run);
    }
    boolean retentionWaits = false;
    if (next.getPhase() == Phase.Succeeded) {
      // retention after the attempt: its own observe → plan → act, in status.retention
      RetentionStage retention = new RetentionStage(client, caches, config, clock);
      m = retention.advance(m, observed.taskJobs(), sameNs, observed.pinnedNode());
      latest[0] = m;
      retentionWaits = retention.waiting() != null;
    }

    if (lockKey != null && !MigrationPlanner.RUNNING.contains(next.getPhase())) {
      locks.release(lockKey, ref);
    }
    return requeue(m, next, plan, retentionWaits);
  }

  /**
   * When to reconcile again without an event: at the approval timeout, at the write fence's
   * re-check, every {@link #RECHECK_SECONDS} s while a step or retention waits on something that is
   * no event, every 30 s while following a workload; otherwise only on events.
   */
  private UpdateControl<DatabaseMigration> requeue(
      DatabaseMigration m, DatabaseMigrationStatus next, Plan plan, boolean retentionWaits) {
    UpdateControl<DatabaseMigration> done = UpdateControl.noUpdate();
    boolean waiting =
        retentionWaits
            || (plan instanceof Plan.Await a && a.recheckSoon())
            || plan instanceof Plan.Snapshot
            || (next.getPhase() == Phase.BackingUp && SnapshotPlanner.applies(m.getSpec()));
    boolean followsWorkload =
        m.getSpec() != null
            && m.getSpec().getMigrate() != null
            && m.getSpec().getMigrate().getFromWorkload() != null;
    var approvalTimeout =
        ApprovalPlanner.untilTimeout(m.getSpec(), next, clock.instant()).orElse(null);
    if (approvalTimeout != null) {
      // maxWaitSeconds ends the wait even when nothing else happens (an approval is an event)
      return done.rescheduleAfter(Math.max(1, approvalTimeout.toSeconds() + 1), TimeUnit.SECONDS);
    }
    long fenceRecheck = FenceActions.recheckSeconds(next);
    if (fenceRecheck > 0) {
      return done.rescheduleAfter(fenceRecheck, TimeUnit.SECONDS);
    }
    // A Stall (invalid spec, missing Secret/PVC/ConfigMap/workload) is not polled: a spec edit is
    // an event, and so is the referenced object's creation (InformedCaches maps it to the
    // migrations that reference it).
    if (waiting) {
      return done.rescheduleAfter(RECHECK_SECONDS, TimeUnit.SECONDS);
    }
    if (followsWorkload) {
      return done.rescheduleAfter(30, TimeUnit.SECONDS);
    }
    return done;
  }

  /**
   * Logs a phase or reason change and counts it in the meters now; returns the Events to write for
   * it (phase change, refused restore request, ignored approval), which the caller runs after the
   * pass's Job create. Each Event write is best effort ({@link EventRecorder}).
   */
  private List<Runnable> reportChanges(
      KubernetesClient client,
      DatabaseMigration m,
      DatabaseMigrationStatus before,
      DatabaseMigrationStatus next) {
    List<Runnable> events = new ArrayList<>();
    EventRecorder recorder = new EventRecorder(client);
    java.time.Instant now = clock.instant();
    Phase oldPhase = before == null ? null : before.getPhase();
    boolean phaseChanged = oldPhase != next.getPhase();
    if (phaseChanged
        || !Objects.equals(before == null ? null : before.getReason(), next.getReason())) {
      LOG.info("{} → {} ({}): {}", oldPhase, next.getPhase(), next.getReason(), next.getMessage());
      if (phaseChanged && metrics != null) {
        metrics.phaseChanged(before, next, now);
      }
      if (phaseChanged) {
        events.add(
            () ->
                recorder.phaseChanged(
                    m, next.getPhase(), next.getReason(), next.getMessage(), now));
      }
    }
    if (RestoreRequests.refusedNow(before, next)) {
      String message = next.getRestoreRequest().getMessage();
      events.add(() -> recorder.restoreRefused(m, message, now));
    }
    String ignored = next.getPlan() == null ? null : next.getPlan().getIgnoredApproval();
    if (ignored != null
        && (before == null
            || before.getPlan() == null
            || !ignored.equals(before.getPlan().getIgnoredApproval()))) {
      String message =
          DatabaseMigration.APPROVE_ANNOTATION
              + "="
              + ignored
              + " ignored: the attempt waiting for approval is revision "
              + next.getRevision();
      events.add(() -> recorder.approvalIgnored(m, message, now));
    }
    return events;
  }

  /**
   * Carries out {@code plan} after its status is written: the write fence's actions and Job, the
   * DatabaseBackup record of a verified backup, a VolumeSnapshot, the step's Job (create if
   * absent), the snapshot clean-up after an attempt.
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  private void act(
      KubernetesClient client,
      DatabaseMigration m,
      DatabaseMigrationStatus before,
      DatabaseMigrationStatus next,
      Plan fenced,
      Plan plan,
      boolean proceed,
      MigrationObserver.Observed observed) {
    String ns = m.getMetadata().getNamespace();
    Observation o = observed.observation();
    if (fenced instanceof Plan.Fence f) {
      new FenceActions(client).carryOut(m, before, f, clock.instant());
      if (f.fenceJob() != null) {
        launch(
            client,
            m,
            next,
            f.fenceJob(),
            JobNames.of(m.getMetadata().getName(), f.fenceJob(), f.fence().getRevision()),
            observed);
      }
    }
    if (next.getBackup() != null
        && MigrationPlanner.RUNNING.contains(next.getPhase())
        && !recorded(ns, next.getBackup().getDatabaseBackup())) {
      new BackupRecords(client).ensure(m, next);
    }

    SnapshotActions snapshots = new SnapshotActions(client);
    if (plan instanceof Plan.Snapshot sn && sn.create() && proceed) {
      snapshots.create(m, next);
    }

    Step step = null;
    String jobName = null;
    if (plan instanceof Plan.LaunchStep ls) {
      step = ls.step();
      jobName = ls.jobName();
    } else if (plan instanceof Plan.StartRestore r) {
      step = Step.RESTORE;
      jobName = r.jobName();
    }
    if (step != null && proceed) {
      snapshots.beforeStep(m, step, next);
      launch(client, m, next, step, jobName, observed);
    }

    snapshots.afterAttempt(m, o, next);
  }

  /**
   * Whether the record cache shows DatabaseBackup {@code ns/name} with its status written, so that
   * {@link BackupRecords#ensure} (a create, and a GET when it exists) has nothing to do.
   */
  private boolean recorded(String ns, String name) {
    var cached = name == null || caches == null ? null : caches.backup(ns, name);
    return cached != null && cached.getStatus() != null;
  }

  /** Creates the Job of {@code step} named {@code jobName} unless it exists. */
  private void launch(
      KubernetesClient client,
      DatabaseMigration m,
      DatabaseMigrationStatus next,
      Step step,
      String jobName,
      MigrationObserver.Observed observed) {
    Job job =
        jobFactory.build(
            new JobFactory.Request(
                m, next, step, jobName, observed.workloadTemplate(), observed.pinnedNode()));
    if (new JobLauncher(client).createIfAbsent(job)) {
      jobsCreated.incrementAndGet();
      if (metrics != null) {
        metrics.jobCreated();
      }
      LOG.info("created Job {} for step {}", jobName, step.label());
    }
  }
}
