package io.dbguard.chart;

import static io.dbguard.chart.ChartFixture.grant;

import java.util.Set;
import java.util.TreeSet;

/**
 * What the operator is allowed to do, grant by grant: the table the rendered RBAC must equal
 * exactly (nothing missing, nothing extra). docs/install.md explains each line.
 */
final class OperatorRbac {
  private OperatorRbac() {}

  /** Grants on namespaced resources, with the default values (all optional grants on). */
  static Set<String> namespacedGrants(boolean secretsValidation, boolean volumeSnapshots) {
    Set<String> g = new TreeSet<>();
    g.addAll(grant("dbguard.io", "databasemigrations", "list", "watch"));
    g.addAll(grant("dbguard.io", "databasemigrations/status", "update"));
    g.addAll(grant("dbguard.io", "databasemigrations/finalizers", "update"));
    g.addAll(grant("dbguard.io", "databasebackups", "get", "list", "watch", "create", "delete"));
    g.addAll(grant("dbguard.io", "databasebackups/status", "update"));
    g.addAll(grant("batch", "jobs", "get", "list", "watch", "create"));
    g.addAll(grant("", "pods", "list", "watch"));
    if (secretsValidation) {
      g.addAll(grant("", "secrets", "list", "watch"));
    }
    g.addAll(grant("", "configmaps", "list", "watch"));
    g.addAll(grant("", "persistentvolumeclaims", "list", "watch"));
    if (volumeSnapshots) {
      g.addAll(grant("", "persistentvolumeclaims", "get", "create", "delete"));
      g.addAll(grant("snapshot.storage.k8s.io", "volumesnapshots", "get", "create", "delete"));
    }
    g.addAll(grant("apps", "deployments", "list", "watch"));
    g.addAll(grant("apps", "statefulsets", "list", "watch"));
    g.addAll(grant("apps", "deployments/scale", "get", "update", "patch"));
    g.addAll(grant("apps", "statefulsets/scale", "get", "update", "patch"));
    g.addAll(grant("", "events", "create"));
    return g;
  }

  /**
   * Grants on cluster-scoped resources (their own ClusterRole, also with watchNamespaces): only
   * with {@code rbac.volumeSnapshots}.
   */
  static Set<String> clusterGrants(boolean volumeSnapshots) {
    return volumeSnapshots
        ? grant("snapshot.storage.k8s.io", "volumesnapshotcontents", "get")
        : new TreeSet<>();
  }

  /** The leader-election Role in the release namespace. */
  static Set<String> leaderElectionGrants(String leaseName) {
    Set<String> g = new TreeSet<>();
    g.add("coordination.k8s.io|leases|create");
    g.add("coordination.k8s.io|leases|get|name=" + leaseName);
    g.add("coordination.k8s.io|leases|update|name=" + leaseName);
    g.add("coordination.k8s.io|leases|patch|name=" + leaseName);
    return g;
  }

  /** The rollout gate's Role in an application namespace. */
  static Set<String> gateGrants() {
    return grant("dbguard.io", "databasemigrations", "get", "list", "watch");
  }
}
