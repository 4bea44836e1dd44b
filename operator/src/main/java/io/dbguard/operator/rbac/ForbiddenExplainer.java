package io.dbguard.operator.rbac;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a 403 from the apiserver into a message a platform engineer can act on: which permission is
 * missing and which chart value grants it. The RBAC authorizer's message has the form {@code User
 * "system:serviceaccount:ns:sa" cannot get resource "configmaps" in API group "" in the namespace
 * "shop"} (Kubernetes RBAC authorizer, "Forbidden" Status); the user name is left out of the
 * result.
 */
public final class ForbiddenExplainer {
  private static final Pattern RBAC =
      Pattern.compile(
          "cannot (\\S+) resource \"([^\"]+)\" in API group \"([^\"]*)\""
              + "(?: in the namespace \"([^\"]+)\")?");

  private ForbiddenExplainer() {}

  /** The first 403 in {@code e}'s cause chain, if any. */
  public static Optional<KubernetesClientException> forbidden(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && k.getCode() == 403) {
        return Optional.of(k);
      }
    }
    return Optional.empty();
  }

  /**
   * A one-line explanation, e.g. {@code the operator may not get configmaps (API group core) in
   * namespace shop: the chart grants it with rbac.create=true (or grant it yourself, see
   * docs/install.md#rbac-rule-by-rule)}.
   */
  public static String explain(KubernetesClientException e) {
    String text =
        e.getStatus() != null && e.getStatus().getMessage() != null
            ? e.getStatus().getMessage()
            : String.valueOf(e.getMessage());
    Matcher m = RBAC.matcher(text);
    if (!m.find()) {
      return "the operator's ServiceAccount was refused (403) by the apiserver; check its RBAC"
          + " (docs/install.md#rbac-rule-by-rule)";
    }
    String verb = m.group(1);
    String resource = m.group(2);
    String group = m.group(3);
    String where = m.group(4) == null ? "" : " in namespace " + m.group(4);
    String grant =
        OperatorPermissions.find(group, resource, verb)
            .map(ForbiddenExplainer::grantedBy)
            .orElse(
                "no chart value grants it: this call is not in the operator's permission list"
                    + " (a defect, please report it)");
    return "the operator may not "
        + verb
        + " "
        + resource
        + " (API group "
        + (group.isEmpty() ? "core" : group)
        + ")"
        + where
        + ": "
        + grant;
  }

  private static String grantedBy(OperatorPermissions.Permission p) {
    String value =
        OperatorPermissions.RBAC_CREATE.equals(p.chartValue())
            ? "rbac.create=true"
            : OperatorPermissions.RBAC_CREATE + "=true and " + p.chartValue() + "=true";
    return "the chart grants it with "
        + value
        + " (or grant it yourself, see docs/install.md#rbac-rule-by-rule)";
  }
}
