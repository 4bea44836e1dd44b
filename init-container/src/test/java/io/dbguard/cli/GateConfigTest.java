package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateConfigTest {
  @TempDir Path dir;

  private static final String TOKEN_KUBECONFIG =
      """
      apiVersion: v1
      kind: Config
      current-context: app
      clusters:
      - name: other
        cluster: {server: "https://wrong:1"}
      - name: test
        cluster:
          server: https://127.0.0.1:6443
          certificate-authority: ca.pem
      users:
      - name: app
        user: {tokenFile: token.txt}
      contexts:
      - name: app
        context: {cluster: test, user: app, namespace: shop}
      """;

  @Test
  void readsATokenKubeconfigOfTheCurrentContextWithRelativePaths() throws Exception {
    Path kc = dir.resolve("config");
    Files.writeString(kc, TOKEN_KUBECONFIG);
    Files.writeString(dir.resolve("token.txt"), "s3cr3t\n");
    GateConfig c = GateConfig.fromKubeconfig(kc);
    assertThat(c.masterUrl()).isEqualTo("https://127.0.0.1:6443");
    assertThat(c.token()).isEqualTo("s3cr3t");
    assertThat(c.caCertFile()).isEqualTo(dir.resolve("ca.pem").toString());
    assertThat(c.caCertData()).isNull();
    assertThat(c.trustCerts()).isFalse();
    assertThat(c.namespace()).isEqualTo("shop");
  }

  @Test
  void leavesClientCertificatesExecPluginsAndProxiesToTheLibrary() throws Exception {
    for (String user :
        new String[] {
          "{client-certificate-data: AAAA, client-key-data: BBBB}",
          "{exec: {command: aws, apiVersion: client.authentication.k8s.io/v1}}",
          "{auth-provider: {name: oidc}}",
          "{}",
        }) {
      Path kc = dir.resolve("config");
      Files.writeString(
          kc, TOKEN_KUBECONFIG.replace("user: {tokenFile: token.txt}", "user: " + user));
      assertThat(GateConfig.fromKubeconfig(kc)).as(user).isNull();
    }
    Path kc = dir.resolve("proxy");
    Files.writeString(
        kc,
        TOKEN_KUBECONFIG
            .replace("user: {tokenFile: token.txt}", "user: {token: t}")
            .replace("certificate-authority: ca.pem", "proxy-url: http://proxy:3128"));
    assertThat(GateConfig.fromKubeconfig(kc)).isNull();
  }

  @Test
  void readsThePodsServiceAccount() throws Exception {
    Files.writeString(dir.resolve("token"), "pod-token");
    Files.writeString(dir.resolve("ca.crt"), "PEM");
    Files.writeString(dir.resolve("namespace"), "shop\n");
    GateConfig c =
        GateConfig.inCluster(
            dir, Map.of("KUBERNETES_SERVICE_HOST", "fd00::1", "KUBERNETES_SERVICE_PORT", "443"));
    assertThat(c.masterUrl()).isEqualTo("https://[fd00::1]:443");
    assertThat(c.token()).isEqualTo("pod-token");
    assertThat(c.caCertFile()).isEqualTo(dir.resolve("ca.crt").toString());
    assertThat(c.namespace()).isEqualTo("shop");
    // Outside a pod: not this form.
    assertThat(GateConfig.inCluster(dir, Map.of())).isNull();
  }

  @Test
  void gateApiStatusKeepsOnlyScalarFieldsAsText() throws Exception {
    var node =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(
                "{\"status\":{\"phase\":\"Succeeded\",\"attempt\":3,\"conditions\":[],"
                    + "\"reason\":null}}");
    assertThat(GateJson.migration(node).status())
        .containsExactlyInAnyOrderEntriesOf(Map.of("phase", "Succeeded", "attempt", "3"));
    assertThat(
            GateJson.migration(new com.fasterxml.jackson.databind.ObjectMapper().readTree("{}"))
                .status())
        .isNull();
  }
}
