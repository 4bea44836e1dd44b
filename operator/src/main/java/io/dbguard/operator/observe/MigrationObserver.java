package io.dbguard.operator.observe;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.OperatorConfig;
import io.dbguard.operator.act.Labels;
import io.dbguard.operator.model.DatabaseBackup;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.model.WorkloadRef;
import io.dbguard.operator.plan.AttemptRevision;
import io.dbguard.operator.plan.BackupRecord;
import io.dbguard.operator.plan.JobObservation;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Observation;
import io.dbguard.operator.plan.RestoreAsk;
import io.dbguard.operator.plan.RestoreRequests;
import io.dbguard.operator.plan.Step;
import io.dbguard.operator.plan.Validation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds the {@link Observation} for one DatabaseMigration: owned Jobs from the informer cache,
 * their pods' exit codes and termination messages, the workload it copies, validation of the spec
 * and other runs on the same database. Reads only; never writes. Pods, workloads and referenced
 * objects come from {@link InformedCaches}: a reconcile makes no GET or LIST for them.
 */
public final class MigrationObserver {
  private final KubernetesClient client;
  private final InformedCaches caches;
  private final OperatorConfig config;
  private final DatabaseLocks locks;
  private final SpecValidator validator = new SpecValidator();
  private final Clock clock;

  /**
   * @param client for the rare direct reads (a Job not yet in the cache, the pods of a workload
   *     while the write fence goes up)
   * @param caches the informer caches every other read comes from
   */
  public MigrationObserver(
      KubernetesClient client,
      InformedCaches caches,
      OperatorConfig config,
      DatabaseLocks locks,
      Clock clock) {
    this.client = client;
    this.caches = caches;
    this.config = config;
    this.locks = locks;
    this.clock = clock;
  }

  /**
   * What the reconcile loop needs besides the observation itself.
   *
   * @param taskJobs owned Jobs that are not steps of the attempt (label {@code dbguard.io/task},
   *     e.g. the prune Job), with their outcome; never part of {@link Observation#jobs()}
   * @param jobs the owned Jobs as read: the informer's, plus the Job {@code status.current} names
   *     when only a direct read found it (for their start and completion times)
   */
  public record Observed(
      Observation observation,
      PodTemplateSpec workloadTemplate,
      String pinnedNode,
      List<JobObservation> taskJobs,
      List<Job> jobs) {}

  /**
   * Observes {@code m}.
   *
   * @param jobs the Jobs owned by {@code m} (from the informer event source)
   * @param sameNamespace all DatabaseMigrations of the namespace (from the primary cache)
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (retried)
   */
  public Observed observe(
      DatabaseMigration m, List<Job> jobs, List<DatabaseMigration> sameNamespace) {
    String ns = m.getMetadata().getNamespace();
    String name = m.getMetadata().getName();
    DatabaseMigrationSpec spec = m.getSpec();
    boolean running =
        m.getStatus() != null
            && m.getStatus().getPhase() != null
            && m.getStatus().getImage() != null
            && MigrationPlanner.RUNNING.contains(m.getStatus().getPhase());

    PodTemplateSpec template = workloadTemplate(ns, spec);
    String image = desiredImage(spec, template);
    String retry =
        m.getMetadata().getAnnotations() == null
            ? null
            : m.getMetadata().getAnnotations().get(DatabaseMigration.RETRY_ANNOTATION);
    AttemptRevision revision = AttemptRevision.resolve(spec, image, retry, m.getStatus());

    List<JobObservation> observed = new ArrayList<>();
    List<JobObservation> tasks = new ArrayList<>();
    List<Job> read = RecordedJob.withRecordedJob(client, m, jobs);
    for (Job j : read) {
      // a Job without a step label (the prune Job) is no step of the attempt
      (isStep(j) ? observed : tasks).add(observeJob(j));
    }
    // The workload was read once above: validation answers from that read, never a second one.
    Validation validation =
        running
            ? Validation.ok()
            : validator.validate(spec, ref -> isWorkload(spec, ref) || exists(ns, ref));
    Optional<String> blocking = Optional.empty();
    String db = spec.getDatabase() == null ? null : spec.getDatabase().getName();
    if (!running && db != null) {
      blocking =
          sameNamespace.stream()
              .filter(o -> !o.getMetadata().getName().equals(name))
              .filter(o -> o.getSpec() != null && o.getSpec().getDatabase() != null)
              .filter(o -> db.equals(o.getSpec().getDatabase().getName()))
              .filter(
                  o ->
                      o.getStatus() != null
                          && o.getStatus().getPhase() != null
                          && MigrationPlanner.RUNNING.contains(o.getStatus().getPhase()))
              .map(o -> ns + "/" + o.getMetadata().getName())
              .findFirst();
      if (blocking.isEmpty()) {
        blocking = locks.recentOther(DatabaseLocks.key(ns, db), ns + "/" + name, clock.instant());
      }
    }
    String pinned = null;
    if (spec.getDatabase() != null
        && spec.getDatabase().getEngine() == Engine.SQLite
        && spec.getDatabase().getVolume() != null) {
      pinned = nodeUsingClaim(ns, spec.getDatabase().getVolume().getClaimName());
    }
    Observation o =
        new Observation(
            ns,
            name,
            m.getMetadata().getGeneration() == null ? 0 : m.getMetadata().getGeneration(),
            spec,
            revision.status(),
            retry,
            image,
            revision.desired(),
            observed,
            validation,
            blocking,
            clock.instant(),
            new WorkloadObserver(client, caches).observe(ns, spec, m.getStatus()),
            new SnapshotObserver(client, caches).observe(ns, revision.status()),
            m.getMetadata().getAnnotations() == null
                ? null
                : m.getMetadata().getAnnotations().get(DatabaseMigration.APPROVE_ANNOTATION));
    return new Observed(o.withRestore(restoreAsk(m)), template, pinned, tasks, read);
  }

  /**
   * The {@code dbguard.io/restore} request of {@code m}, or null without the annotation. The
   * DatabaseBackup it names is read only while the value is not yet recorded in {@code
   * status.restoreRequest}, and then by name from the API server, not from the record cache: a
   * record created a moment ago must not be refused as absent, nor one pruned a moment ago restored
   * as Ready. One GET per request (the reconcile that reads it records the request).
   */
  private RestoreAsk restoreAsk(DatabaseMigration m) {
    String value =
        m.getMetadata().getAnnotations() == null
            ? null
            : m.getMetadata().getAnnotations().get(DatabaseMigration.RESTORE_ANNOTATION);
    if (value == null) {
      return null;
    }
    RestoreRequests.Request r = RestoreRequests.Request.parse(value);
    boolean recorded =
        m.getStatus() != null
            && m.getStatus().getRestoreRequest() != null
            && value.equals(m.getStatus().getRestoreRequest().getValue());
    if (r == null || recorded) {
      return new RestoreAsk(value, null);
    }
    DatabaseBackup named =
        new BackupRecordObserver(client, caches).live(m.getMetadata().getNamespace(), r.backup());
    BackupRecord backup = named == null ? null : BackupRecordObserver.toRecord(named);
    return new RestoreAsk(value, backup);
  }

  private static boolean isStep(Job j) {
    return j.getMetadata().getLabels() != null
        && j.getMetadata().getLabels().get(Labels.STEP) != null;
  }

  /** The image of the attempt: spec, else the workload container's, else the tool image (sql). */
  String desiredImage(DatabaseMigrationSpec spec, PodTemplateSpec template) {
    MigrateSpec mig = spec.getMigrate();
    if (mig == null) {
      return null;
    }
    if (mig.getImage() != null) {
      return mig.getImage();
    }
    if (template != null) {
      String want = mig.getFromWorkload().getContainer();
      return template.getSpec().getContainers().stream()
          .filter(c -> want == null || want.equals(c.getName()))
          .map(Container::getImage)
          .findFirst()
          .orElse(null);
    }
    if (mig.getSql() != null) {
      return spec.getToolImage() == null ? config.toolImage() : spec.getToolImage();
    }
    return null;
  }

  private PodTemplateSpec workloadTemplate(String ns, DatabaseMigrationSpec spec) {
    if (spec.getMigrate() == null || spec.getMigrate().getFromWorkload() == null) {
      return null;
    }
    WorkloadRef w = spec.getMigrate().getFromWorkload();
    InformedCaches.Workload cached = caches.workload(ns, w.getKind(), w.getName());
    return cached == null ? null : cached.template();
  }

  /**
   * Job state, plus the step container's exit code and StepResult from its pod. The step is null
   * for a Job without a {@code dbguard.io/step} label.
   */
  JobObservation observeJob(Job j) {
    String label =
        j.getMetadata().getLabels() == null ? null : j.getMetadata().getLabels().get(Labels.STEP);
    Step step = label == null ? null : Step.of(label);
    JobObservation.State state = JobObservation.State.ACTIVE;
    String failure = null;
    if (j.getStatus() != null && j.getStatus().getConditions() != null) {
      for (JobCondition c : j.getStatus().getConditions()) {
        if ("True".equals(c.getStatus()) && "Complete".equals(c.getType())) {
          state = JobObservation.State.SUCCEEDED;
        } else if ("True".equals(c.getStatus()) && "Failed".equals(c.getType())) {
          state = JobObservation.State.FAILED;
          failure = c.getReason();
        }
      }
    }
    Integer exit = null;
    StepResult result = null;
    if (state != JobObservation.State.ACTIVE) {
      List<Pod> pods = pods(j);
      ContainerStateTerminated t = terminated(j, pods);
      ContainerStatus failedInit = t == null ? failedInitContainer(j, pods) : null;
      if (failedInit != null) {
        // An init container (the analyze step's copy of the migrations, a workload's own) is not
        // the step: its exit code is no dbguard exit code (cp's 1 would read as "warnings").
        exit = null;
        failure =
            "init container "
                + failedInit.getName()
                + " exited with "
                + failedInit.getState().getTerminated().getExitCode()
                + (failure == null ? "" : " (" + failure + ")");
      } else if (t != null) {
        exit = t.getExitCode();
        result = parse(t.getMessage());
      } else if (podStatusLags(pods)) {
        // The Job's end reached the cache before its pod's final status (two informers): read as
        // still running until the pod's update arrives (it wakes the migration), so that the
        // step's exit code and result decide, not a bare "BackoffLimitExceeded".
        state = JobObservation.State.ACTIVE;
        failure = null;
      }
    }
    return new JobObservation(
        j.getMetadata().getName(), j.getMetadata().getUid(), step, state, exit, result, failure);
  }

  /**
   * Whether the cached pods of a finished Job whose step container shows no terminated state are
   * still catching up: some pod is cached in a non-terminal phase (Pending, Running or none yet).
   * The pod informer delivers its final state or its deletion later. A pod in phase Failed or
   * Succeeded without a terminated container (evicted), a pod being deleted (the Job's deadline; a
   * lost node, where its final status may never come) or no pod at all does not lag: the Job is
   * then judged without the step's result.
   *
   * @param pods the Job's cached pods
   */
  static boolean podStatusLags(List<Pod> pods) {
    for (Pod p : pods) {
      if (p.getMetadata() != null && p.getMetadata().getDeletionTimestamp() != null) {
        continue; // being deleted (a deadline, a lost node): its final status may never come
      }
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if (phase == null || phase.equals("Pending") || phase.equals("Running")) {
        return true;
      }
    }
    return false;
  }

  /** The pods of Job {@code j}, from the pod cache. */
  private List<Pod> pods(Job j) {
    return caches.jobPods(j.getMetadata().getNamespace(), j.getMetadata().getName());
  }

  private static ContainerStateTerminated terminated(Job j, List<Pod> pods) {
    String main = j.getSpec().getTemplate().getSpec().getContainers().get(0).getName();
    for (Pod p : pods) {
      if (p.getStatus() == null) {
        continue;
      }
      for (ContainerStatus cs : nullSafe(p.getStatus().getContainerStatuses())) {
        if (main.equals(cs.getName())
            && cs.getState() != null
            && cs.getState().getTerminated() != null) {
          return cs.getState().getTerminated();
        }
      }
    }
    return null;
  }

  /** The first init container of the Job's pods that ended with a non-zero code, or null. */
  private static ContainerStatus failedInitContainer(Job j, List<Pod> pods) {
    if (j.getSpec().getTemplate().getSpec().getInitContainers() == null
        || j.getSpec().getTemplate().getSpec().getInitContainers().isEmpty()) {
      return null;
    }
    for (Pod p : pods) {
      if (p.getStatus() == null) {
        continue;
      }
      for (ContainerStatus cs : nullSafe(p.getStatus().getInitContainerStatuses())) {
        if (cs.getState() != null
            && cs.getState().getTerminated() != null
            && cs.getState().getTerminated().getExitCode() != 0) {
          return cs;
        }
      }
    }
    return null;
  }

  private static <T> List<T> nullSafe(List<T> l) {
    return l == null ? List.of() : l;
  }

  /**
   * A termination message as a StepResult, or null. Non-JSON messages (an application's log tail)
   * are dropped: they may contain anything, and status must never carry secrets.
   */
  static StepResult parse(String message) {
    if (message == null || !message.trim().startsWith("{")) {
      return null;
    }
    try {
      return StepResult.parse(message.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** Whether {@code ref} is the {@code migrate.fromWorkload} (observed once, as the template). */
  private static boolean isWorkload(DatabaseMigrationSpec spec, String ref) {
    WorkloadRef w = spec.getMigrate() == null ? null : spec.getMigrate().getFromWorkload();
    return w != null && ref.equals(w.getKind() + "/" + w.getName());
  }

  private boolean exists(String ns, String ref) {
    return (ref.startsWith("Secret/") && !config.secretsValidation()) || caches.exists(ns, ref);
  }

  /** Node of a running non-dbguard pod that mounts {@code claim}, or null (pod cache). */
  private String nodeUsingClaim(String ns, String claim) {
    for (Pod p : caches.podsMounting(ns, claim)) {
      if (p.getSpec().getNodeName() == null
          || (p.getMetadata().getLabels() != null
              && Labels.MANAGED_BY_VALUE.equals(p.getMetadata().getLabels().get(Labels.MANAGED_BY)))
          || p.getStatus() == null
          || !"Running".equals(p.getStatus().getPhase())) {
        continue;
      }
      boolean uses =
          nullSafe(p.getSpec().getVolumes()).stream()
              .anyMatch(
                  v ->
                      v.getPersistentVolumeClaim() != null
                          && claim.equals(v.getPersistentVolumeClaim().getClaimName()));
      if (uses) {
        return p.getSpec().getNodeName();
      }
    }
    return null;
  }
}
