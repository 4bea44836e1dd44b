package io.dbguard.operator.observe;

import io.dbguard.operator.model.DatabaseMigration;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The Job that status records as the current step, even when the informer cache does not show it
 * yet. Status records a Job's name before the Job is created, so a Job created a moment ago may be
 * missing from the cache; taking that for "never created" or "lost" would launch the step again or
 * report a lost Job. One direct GET by name decides: the apiserver's answer, not the cache's.
 */
final class RecordedJob {
  private RecordedJob() {}

  /**
   * {@code cached}, plus the Job named in {@code status.current.job} read from the apiserver when
   * the cache does not hold it (and it exists).
   *
   * @throws io.fabric8.kubernetes.client.KubernetesClientException on API errors (the reconcile is
   *     retried)
   */
  static List<Job> withRecordedJob(KubernetesClient client, DatabaseMigration m, List<Job> cached) {
    if (m.getStatus() == null
        || m.getStatus().getCurrent() == null
        || m.getStatus().getCurrent().getJob() == null) {
      return cached;
    }
    String name = m.getStatus().getCurrent().getJob();
    if (cached.stream().anyMatch(j -> name.equals(j.getMetadata().getName()))) {
      return cached;
    }
    Job direct =
        client.batch().v1().jobs().inNamespace(m.getMetadata().getNamespace()).withName(name).get();
    if (direct == null || !ownedBy(direct, m)) {
      return cached;
    }
    List<Job> all = new ArrayList<>(cached);
    all.add(direct);
    return all;
  }

  private static boolean ownedBy(Job j, DatabaseMigration m) {
    return j.getMetadata().getOwnerReferences() != null
        && j.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> m.getMetadata().getUid().equals(r.getUid()));
  }
}
