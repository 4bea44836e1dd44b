package io.dbguard.operator.observe;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import java.util.List;
import java.util.Map;

/** Label selector matching, as the API server does it for {@code labelSelector=}. */
final class Selectors {
  private Selectors() {}

  /**
   * Whether {@code o}'s labels match {@code selector}: every {@code matchLabels} entry, and every
   * {@code matchExpressions} requirement ({@code In}, {@code NotIn}, {@code Exists}, {@code
   * DoesNotExist}). An empty selector matches everything; a null one nothing.
   */
  static boolean matches(LabelSelector selector, HasMetadata o) {
    if (selector == null) {
      return false;
    }
    Map<String, String> labels =
        o.getMetadata().getLabels() == null ? Map.of() : o.getMetadata().getLabels();
    if (selector.getMatchLabels() != null) {
      for (var e : selector.getMatchLabels().entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (selector.getMatchExpressions() != null) {
      for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
        String v = labels.get(r.getKey());
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        boolean ok =
            switch (r.getOperator()) {
              case "In" -> v != null && values.contains(v);
              case "NotIn" -> v == null || !values.contains(v);
              case "Exists" -> labels.containsKey(r.getKey());
              case "DoesNotExist" -> !labels.containsKey(r.getKey());
              default -> false;
            };
        if (!ok) {
          return false;
        }
      }
    }
    return true;
  }
}
