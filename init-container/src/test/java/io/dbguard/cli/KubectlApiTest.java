package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.ExitCode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** How API failures read ({@link KubectlApi#explain}); the real answers are in KubectlPluginIT. */
class KubectlApiTest {
  static final String URL = "https://10.0.0.1:6443/";

  @Test
  void forbiddenNamesVerbResourceScopeAndTheRoleThatGrantsIt() {
    KubectlException e =
        KubectlApi.explain(
            new KubernetesClientException("Forbidden", 403, null),
            "patch",
            "databasebackups",
            "shop",
            URL);
    assertThat(e.exitCode()).isEqualTo(ExitCode.CONNECTION_FAILED);
    assertThat(e.getMessage())
        .isEqualTo(
            "forbidden: you may not patch databasebackups.dbguard.io in namespace shop (the Role"
                + " in examples/k8s/plugin-rbac.yaml grants what it needs)");
    assertThat(
            KubectlApi.explain(
                    new KubernetesClientException("Forbidden", 403, null),
                    "list",
                    "databasebackups",
                    null,
                    URL)
                .getMessage())
        .contains("list databasebackups.dbguard.io in all namespaces (a ClusterRole");
  }

  @Test
  void anUnknownResourceTypeMeansTheCrdsAreMissing() {
    KubectlException e =
        KubectlApi.explain(
            new KubernetesClientException("Not Found", 404, null),
            "list",
            "databasebackups",
            "shop",
            URL);
    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(e.notFoundOnServer()).isTrue();
    assertThat(e.getMessage()).contains("are dbguard's CRDs installed");
  }

  @Test
  void anUnreachableServerIsNamedWithTheCause() {
    KubectlException e =
        KubectlApi.explain(
            new KubernetesClientException(
                "An error has occurred.", new ConnectException("Connection refused")),
            "get",
            "databasemigrations",
            "shop",
            URL);
    assertThat(e.exitCode()).isEqualTo(ExitCode.CONNECTION_FAILED);
    assertThat(e.getMessage())
        .isEqualTo("cannot reach the API server at " + URL + ": Connection refused");
  }

  @Test
  void otherRefusalsCarryTheServersMessage() {
    KubectlException e =
        KubectlApi.explain(
            new KubernetesClientException(
                "Unprocessable",
                422,
                new StatusBuilder().withMessage("spec.pinned: Invalid value").build()),
            "patch",
            "databasebackups",
            "shop",
            URL);
    assertThat(e.getMessage())
        .isEqualTo(
            "the API server refused to patch databasebackups.dbguard.io: spec.pinned: Invalid"
                + " value");
    assertThat(
            KubectlApi.explain(
                    new KubernetesClientException("Conflict", 409, null),
                    "patch",
                    "databasemigrations",
                    "shop",
                    URL)
                .getMessage())
        .contains("conflict: the object changed while this command ran");
  }
}
