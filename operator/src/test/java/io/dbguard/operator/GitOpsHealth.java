package io.dbguard.operator;

import io.dbguard.gitops.ArgoCdHealthScript;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;

/**
 * How the two GitOps controllers the docs name judge a live DatabaseMigration (docs/install.md,
 * "Argo CD health check" and "Flux"):
 *
 * <ul>
 *   <li>Argo CD: the health check the chart ships, run as Argo CD runs it ({@link
 *       ArgoCdHealthScript});
 *   <li>Flux: the kstatus rules its health checks apply to a custom resource, the stricter reading:
 *       {@code InProgress} while {@code status.observedGeneration} differs from {@code
 *       metadata.generation}; then {@code Failed} when {@code Stalled} is True, {@code InProgress}
 *       when {@code Reconciling} is True, {@code Current} only when {@code Ready} (of that
 *       generation) is True, otherwise {@code InProgress}.
 * </ul>
 */
final class GitOpsHealth {
  private GitOpsHealth() {}

  /**
   * Argo CD's health of {@code live}.
   *
   * @param live the object as the API server returned it
   * @return {@code status} (Healthy, Progressing, Degraded, Suspended) and {@code message}
   */
  static Map<String, String> argo(HasMetadata live) {
    return ArgoCdHealthScript.evaluate(tree(live));
  }

  /**
   * Flux's (kstatus) status of {@code live}: {@code Current}, {@code InProgress} or {@code Failed}.
   */
  @SuppressWarnings("unchecked")
  static String kstatus(HasMetadata live) {
    Map<String, Object> obj = tree(live);
    Map<String, Object> meta = (Map<String, Object>) obj.get("metadata");
    Map<String, Object> st = (Map<String, Object>) obj.get("status");
    long generation = ((Number) meta.get("generation")).longValue();
    if (st == null) {
      return "InProgress";
    }
    Number observed = (Number) st.get("observedGeneration");
    if (observed == null || observed.longValue() != generation) {
      return "InProgress";
    }
    List<Map<String, Object>> conditions =
        st.get("conditions") == null ? List.of() : (List<Map<String, Object>>) st.get("conditions");
    if (isTrue(conditions, "Stalled", generation)) {
      return "Failed";
    }
    if (isTrue(conditions, "Reconciling", generation)) {
      return "InProgress";
    }
    return isTrue(conditions, "Ready", generation) ? "Current" : "InProgress";
  }

  private static boolean isTrue(List<Map<String, Object>> conditions, String type, long gen) {
    for (Map<String, Object> c : conditions) {
      Number cg = (Number) c.get("observedGeneration");
      if (type.equals(c.get("type"))
          && "True".equals(c.get("status"))
          && (cg == null || cg.longValue() == gen)) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(HasMetadata live) {
    return Serialization.jsonMapper().convertValue(live, Map.class);
  }
}
