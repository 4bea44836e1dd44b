package io.dbguard.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/crd-reference.md} is generated from the generated CRDs (so from the model's
 * {@code @JsonPropertyDescription}s and validation annotations). This test fails when the committed
 * page is stale; run it with {@code DBGUARD_UPDATE_DOCS=true} to rewrite the page.
 */
class CrdReferenceTest {

  @Test
  void crdReferenceIsUpToDate() throws IOException {
    StringBuilder md = new StringBuilder();
    md.append("# CRD reference\n\n")
        .append("Generated from `crds/*.yml` by `CrdReferenceTest` (run it with")
        .append(" `DBGUARD_UPDATE_DOCS=true` to refresh). Do not edit by hand.\n");
    for (String file :
        List.of("databasemigrations.dbguard.io-v1.yml", "databasebackups.dbguard.io-v1.yml")) {
      CustomResourceDefinition crd =
          Serialization.unmarshal(
              Files.readString(CrdGoldenTest.repoRoot().resolve("crds").resolve(file)),
              CustomResourceDefinition.class);
      render(crd, md);
    }
    Path page = CrdGoldenTest.repoRoot().resolve("docs/crd-reference.md");
    if ("true".equals(System.getenv("DBGUARD_UPDATE_DOCS"))) {
      Files.writeString(page, md.toString());
    }
    assertThat(page).exists();
    assertThat(Files.readString(page))
        .as("docs/crd-reference.md is stale: run CrdReferenceTest with DBGUARD_UPDATE_DOCS=true")
        .isEqualTo(md.toString());
  }

  static void render(CustomResourceDefinition crd, StringBuilder md) {
    var names = crd.getSpec().getNames();
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    md.append("\n## ").append(names.getKind()).append("\n\n");
    md.append("`")
        .append(crd.getSpec().getGroup())
        .append("/")
        .append(v.getName())
        .append("`, ")
        .append(crd.getSpec().getScope().toLowerCase())
        .append(", plural `")
        .append(names.getPlural())
        .append("`");
    if (names.getShortNames() != null && !names.getShortNames().isEmpty()) {
      md.append(", short names ");
      md.append(String.join(", ", names.getShortNames().stream().map(s -> "`" + s + "`").toList()));
    }
    if (names.getCategories() != null && !names.getCategories().isEmpty()) {
      md.append(", categories ");
      md.append(String.join(", ", names.getCategories().stream().map(s -> "`" + s + "`").toList()));
    }
    md.append(".\n\nPrinter columns (in this order): ");
    md.append(
        String.join(
            ", ",
            v.getAdditionalPrinterColumns().stream()
                .map(c -> c.getName() + " (`" + c.getJsonPath() + "`)")
                .toList()));
    md.append(".\n\n| field | type | required | default | validation | description |\n");
    md.append("|---|---|---|---|---|---|\n");
    JSONSchemaProps root = v.getSchema().getOpenAPIV3Schema();
    for (String top : List.of("spec", "status")) {
      JSONSchemaProps p = root.getProperties().get(top);
      if (p != null) {
        walk(top, p, false, md);
      }
    }
  }

  static void walk(String path, JSONSchemaProps p, boolean required, StringBuilder md) {
    String type = p.getType() == null ? "object" : p.getType();
    JSONSchemaProps items = p.getItems() == null ? null : p.getItems().getSchema();
    if ("array".equals(type) && items != null) {
      type = (items.getType() == null ? "object" : items.getType()) + "[]";
    }
    StringBuilder validation = new StringBuilder();
    if (p.getEnum() != null && !p.getEnum().isEmpty()) {
      validation.append(
          String.join(
              " \\| ",
              p.getEnum().stream().map(e -> "`" + e.toString().replace("\"", "") + "`").toList()));
    }
    if (p.getPattern() != null) {
      validation.append("pattern `").append(p.getPattern().replace("|", "\\|")).append("`");
    }
    if (p.getMinimum() != null) {
      validation.append("≥ ").append(p.getMinimum().longValue());
    }
    md.append("| `")
        .append(path)
        .append("` | ")
        .append(type)
        .append(" | ")
        .append(required ? "yes" : "")
        .append(" | ")
        .append(
            p.getDefault() == null ? "" : "`" + p.getDefault().toString().replace("\"", "") + "`")
        .append(" | ")
        .append(validation)
        .append(" | ")
        .append(
            p.getDescription() == null
                ? ""
                : p.getDescription().replace("|", "\\|").replace("\n", " "))
        .append(" |\n");
    JSONSchemaProps children = items != null ? items : p;
    String prefix = items != null ? path + "[]" : path;
    if (children.getProperties() == null || children.getProperties().isEmpty()) {
      return;
    }
    // Kubernetes core types (EnvVar, ResourceRequirements, Condition) are summarized, not expanded.
    if (path.endsWith(".env")
        || path.endsWith(".envFrom")
        || path.endsWith(".resources")
        || path.endsWith(".conditions")) {
      return;
    }
    Map<String, JSONSchemaProps> sorted = new TreeMap<>(children.getProperties());
    List<String> req = children.getRequired() == null ? List.of() : children.getRequired();
    sorted.forEach((k, c) -> walk(prefix + "." + k, c, req.contains(k), md));
  }
}
