package io.dbguard.operator.rbac;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every Kubernetes API call the operator makes, as RBAC grants: the one list the Helm chart's rules
 * must equal (checked by {@code ChartRbacMatchesCodeTest}), the ITs' recorded calls must stay
 * within (checked by {@code ApiCallRecorder}), and a 403 is explained from (see {@link
 * ForbiddenExplainer}). Adding a call site means adding its line here and its rule to {@code
 * helm/dbguard/templates/_helpers.tpl} (or {@code rbac.yaml} for the Lease).
 */
public final class OperatorPermissions {
  private OperatorPermissions() {}

  /** Chart value under which every operator rule is rendered. */
  public static final String RBAC_CREATE = "rbac.create";

  /**
   * One grant.
   *
   * @param group API group ("" for core)
   * @param resource resource, with {@code /subresource} when it is one
   * @param verb RBAC verb (get, list, watch, create, update, patch, delete)
   * @param chartValue the chart value that renders this grant when true (besides {@code
   *     rbac.create})
   * @param caller the class that makes the call (or, for an admission requirement, why it is needed
   *     without a call)
   */
  public record Permission(
      String group, String resource, String verb, String chartValue, String caller) {

    /** {@code group|resource|verb}, the form the chart tests flatten rules into. */
    public String grant() {
      return group + "|" + resource + "|" + verb;
    }
  }

  /**
   * The operator's rules on namespaced resources (ClusterRole, or a Role per watched namespace).
   */
  public static final List<Permission> OPERATOR =
      List.of(
          p("dbguard.io", "databasemigrations", "list", "JOSDK informer (primary resources)"),
          p("dbguard.io", "databasemigrations", "watch", "JOSDK informer (primary resources)"),
          p("dbguard.io", "databasemigrations/status", "update", "act.StatusRecorder"),
          p(
              "dbguard.io",
              "databasemigrations/finalizers",
              "update",
              "admission: Jobs set blockOwnerDeletion on their owner reference (act.JobFactory),"
                  + " which OwnerReferencesPermissionEnforcement allows only with this grant"),
          p("dbguard.io", "databasebackups", "create", "act.BackupRecords"),
          p(
              "dbguard.io",
              "databasebackups",
              "get",
              "act.BackupRecords (a record created before its status was written);"
                  + " observe.BackupRecordObserver (by name: the record a restore request names,"
                  + " and each record retention deletes, re-checked live)"),
          p("dbguard.io", "databasebackups", "list", "observe.InformedCaches (record cache)"),
          p("dbguard.io", "databasebackups", "watch", "observe.InformedCaches (record cache)"),
          p("dbguard.io", "databasebackups", "delete", "act.RetentionActions (old tombstones)"),
          p(
              "dbguard.io",
              "databasebackups/status",
              "update",
              "act.BackupRecords, act.RetentionActions"),
          p("batch", "jobs", "list", "JOSDK informer (owned Jobs)"),
          p("batch", "jobs", "watch", "JOSDK informer (owned Jobs)"),
          p("batch", "jobs", "get", "observe.RecordedJob (a Job not yet in the cache)"),
          p("batch", "jobs", "create", "act.JobLauncher"),
          p(
              "",
              "pods",
              "list",
              "observe.InformedCaches (pod cache); observe.WorkloadObserver (a fenced workload's"
                  + " pods while the fence goes up)"),
          p("", "pods", "watch", "observe.InformedCaches (pod cache)"),
          new Permission(
              "",
              "secrets",
              "list",
              "rbac.secretsValidation",
              "observe.InformedCaches (metadata-only cache: the connection Secret exists)"),
          new Permission(
              "",
              "secrets",
              "watch",
              "rbac.secretsValidation",
              "observe.InformedCaches (metadata-only cache: the connection Secret exists)"),
          p(
              "",
              "configmaps",
              "list",
              "observe.InformedCaches (metadata-only cache: migrate.sql.configMapName exists)"),
          p(
              "",
              "configmaps",
              "watch",
              "observe.InformedCaches (metadata-only cache: migrate.sql.configMapName exists)"),
          p(
              "",
              "persistentvolumeclaims",
              "list",
              "observe.InformedCaches (metadata-only cache: claims exist)"),
          p(
              "",
              "persistentvolumeclaims",
              "watch",
              "observe.InformedCaches (metadata-only cache: claims exist)"),
          p("apps", "deployments", "list", "observe.InformedCaches (workload cache)"),
          p("apps", "deployments", "watch", "observe.InformedCaches (workload cache)"),
          p("apps", "statefulsets", "list", "observe.InformedCaches (workload cache)"),
          p("apps", "statefulsets", "watch", "observe.InformedCaches (workload cache)"),
          p("apps", "deployments/scale", "get", "act.WorkloadScaler (write fence)"),
          p("apps", "deployments/scale", "update", "act.WorkloadScaler (write fence)"),
          p("apps", "deployments/scale", "patch", "act.WorkloadScaler (write fence)"),
          p("apps", "statefulsets/scale", "get", "act.WorkloadScaler (write fence)"),
          p("apps", "statefulsets/scale", "update", "act.WorkloadScaler (write fence)"),
          p("apps", "statefulsets/scale", "patch", "act.WorkloadScaler (write fence)"),
          p("", "events", "create", "act.EventRecorder"),
          new Permission(
              "",
              "persistentvolumeclaims",
              "get",
              "rbac.volumeSnapshots",
              "act.SnapshotActions (the snapshotted claim's size and class; whether the claim"
                  + " provisioned from the VolumeSnapshot exists, before it is created)"),
          new Permission(
              "",
              "persistentvolumeclaims",
              "create",
              "rbac.volumeSnapshots",
              "act.SnapshotActions (the claim provisioned from the VolumeSnapshot)"),
          new Permission(
              "",
              "persistentvolumeclaims",
              "delete",
              "rbac.volumeSnapshots",
              "act.SnapshotActions (that claim, when the attempt has ended)"),
          snapshot(
              "get",
              "observe.SnapshotObserver (while the attempt runs), observe.BackupRecordObserver"
                  + " (retention)"),
          snapshot("create", "act.SnapshotActions"),
          snapshot("delete", "act.SnapshotPruner (retention)"));

  /**
   * The operator's rules on cluster-scoped resources: a ClusterRole of their own, rendered also
   * when {@code watchNamespaces} confines the namespaced rules to Roles.
   */
  public static final List<Permission> CLUSTER =
      List.of(
          new Permission(
              "snapshot.storage.k8s.io",
              "volumesnapshotcontents",
              "get",
              "rbac.volumeSnapshots",
              "observe.BackupRecordObserver (retention: the deletionPolicy of a pruned"
                  + " snapshot's content)"));

  /** The leader-election Role in the release namespace ({@code name} = the Lease's name). */
  public static final List<Permission> LEADER_ELECTION =
      List.of(
          new Permission(
              "coordination.k8s.io", "leases", "create", "leaderElection.enabled", "LeaseLock"),
          new Permission(
              "coordination.k8s.io", "leases", "get", "leaderElection.enabled", "LeaseLock"),
          new Permission(
              "coordination.k8s.io",
              "leases",
              "update",
              "leaderElection.enabled",
              "JOSDK start-up check (SelfSubjectRulesReview: create, get, update)"),
          new Permission(
              "coordination.k8s.io",
              "leases",
              "patch",
              "leaderElection.enabled",
              "LeaseLock (takes over and renews with JSON merge patches)"));

  /**
   * The operator's grants (flattened {@code group|resource|verb}) for these chart values.
   *
   * @param secretsValidation {@code rbac.secretsValidation}
   * @param volumeSnapshots {@code rbac.volumeSnapshots}
   */
  public static Set<String> operatorGrants(boolean secretsValidation, boolean volumeSnapshots) {
    Set<String> out = new TreeSet<>();
    for (Permission p : OPERATOR) {
      boolean on =
          switch (p.chartValue()) {
            case "rbac.secretsValidation" -> secretsValidation;
            case "rbac.volumeSnapshots" -> volumeSnapshots;
            default -> true;
          };
      if (on) {
        out.add(p.grant());
      }
    }
    return out;
  }

  /**
   * The operator's cluster-scoped grants (flattened {@code group|resource|verb}) for this chart
   * value.
   *
   * @param volumeSnapshots {@code rbac.volumeSnapshots}
   */
  public static Set<String> clusterGrants(boolean volumeSnapshots) {
    Set<String> out = new TreeSet<>();
    for (Permission p : CLUSTER) {
      if (!"rbac.volumeSnapshots".equals(p.chartValue()) || volumeSnapshots) {
        out.add(p.grant());
      }
    }
    return out;
  }

  /** The permission for a call, searched in every list. */
  public static Optional<Permission> find(String group, String resource, String verb) {
    return java.util.stream.Stream.of(OPERATOR, CLUSTER, LEADER_ELECTION)
        .flatMap(List::stream)
        .filter(
            p -> p.group().equals(group) && p.resource().equals(resource) && p.verb().equals(verb))
        .findFirst();
  }

  private static Permission p(String group, String resource, String verb, String caller) {
    return new Permission(group, resource, verb, RBAC_CREATE, caller);
  }

  private static Permission snapshot(String verb, String caller) {
    return new Permission(
        "snapshot.storage.k8s.io",
        "volumesnapshots",
        verb,
        "rbac.volumeSnapshots",
        caller + " (backup.method VolumeSnapshot)");
  }
}
