package io.dbguard.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRDs as the real kube-apiserver serves them (the rig installs {@code crds/}): {@code kubectl
 * get dbmig} prints Phase, Ready, Image, Backup, Reason, Age in that order (server-side Table),
 * with Ready read from the Ready condition, and both kinds are in the {@code dbguard} category
 * ({@code kubectl get dbguard}).
 */
@WithTestCluster
class CrdServedIT {
  private static final ResourceDefinitionContext MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  static TestCluster cluster;
  static KubernetesClient admin;

  @Test
  void categoryAndPrinterColumnsAsKubectlSeesThem(@TestNamespace String ns) throws Exception {
    List<APIResource> resources = admin.getApiResources("dbguard.io/v1alpha1").getResources();
    assertThat(resources)
        .filteredOn(r -> !r.getName().contains("/"))
        .extracting(APIResource::getName)
        .containsExactlyInAnyOrder("databasemigrations", "databasebackups");
    assertThat(resources)
        .filteredOn(r -> !r.getName().contains("/"))
        .allSatisfy(r -> assertThat(r.getCategories()).containsExactly("dbguard"));

    GenericKubernetesResource m =
        Serialization.unmarshal(
            """
            apiVersion: dbguard.io/v1alpha1
            kind: DatabaseMigration
            metadata: {name: shop}
            spec:
              database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
              migrate: {image: shop:v2, command: [bin/migrate]}
              backup: {storage: {claimName: backups}}
            """,
            GenericKubernetesResource.class);
    GenericKubernetesResource created =
        admin.genericKubernetesResources(MIGRATIONS).inNamespace(ns).resource(m).create();
    created.setAdditionalProperty(
        "status",
        Serialization.unmarshal(
            """
            phase: RolledBack
            reason: MigrationFailed
            image: shop:v2
            backup: {name: shop_20260101_120000}
            conditions:
            - {type: Reconciling, status: "False", reason: RolledBack, lastTransitionTime: "2026-01-01T12:00:00Z"}
            - {type: Ready, status: "False", reason: RolledBack, lastTransitionTime: "2026-01-01T12:00:00Z"}
            """,
            java.util.Map.class));
    admin.genericKubernetesResources(MIGRATIONS).inNamespace(ns).resource(created).updateStatus();

    HttpClient http = admin.getHttpClient();
    HttpResponse<String> table =
        http.sendAsync(
                http.newHttpRequestBuilder()
                    .uri(
                        admin.getMasterUrl()
                            + "apis/dbguard.io/v1alpha1/namespaces/"
                            + ns
                            + "/databasemigrations")
                    .header("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")
                    .build(),
                String.class)
            .get();
    assertThat(table.code()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(table.body());
    List<String> columns = new ArrayList<>();
    body.get("columnDefinitions").forEach(c -> columns.add(c.get("name").asText()));
    assertThat(columns)
        .containsExactly("Name", "Phase", "Ready", "Image", "Backup", "Reason", "Age");
    List<String> cells = new ArrayList<>();
    body.get("rows").get(0).get("cells").forEach(c -> cells.add(c.asText()));
    assertThat(cells.subList(0, 6))
        .containsExactly(
            "shop", "RolledBack", "False", "shop:v2", "shop_20260101_120000", "MigrationFailed");
  }
}
