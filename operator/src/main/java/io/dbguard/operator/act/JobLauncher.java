package io.dbguard.operator.act;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;

/** Creates Jobs if absent: an AlreadyExists answer for the deterministic name is success. */
public final class JobLauncher {
  private final KubernetesClient client;

  public JobLauncher(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Creates {@code job} unless a Job of that name exists.
   *
   * @return true when this call created it, false when it already existed
   * @throws KubernetesClientException for other API errors (the reconcile is retried)
   */
  public boolean createIfAbsent(Job job) {
    try {
      client.resource(job).create();
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return false;
      }
      throw e;
    }
  }
}
