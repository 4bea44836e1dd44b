package io.dbguard.operator.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every field of both CRDs has a description, so {@code kubectl explain dbmig.spec...} always says
 * something; printer columns come in the deliberate order; both kinds are in the {@code dbguard}
 * category. Checked on the YAML this build generated and on the committed copy in {@code crds/}
 * (what users install).
 */
class CrdDescriptionsTest {

  private static final String MIGRATIONS = "databasemigrations.dbguard.io-v1.yml";
  private static final String BACKUPS = "databasebackups.dbguard.io-v1.yml";

  @Test
  void everyFieldHasADescription() throws IOException {
    for (Path dir : List.of(CrdGoldenTest.GENERATED, CrdGoldenTest.repoRoot().resolve("crds"))) {
      for (String file : List.of(MIGRATIONS, BACKUPS)) {
        CustomResourceDefinition crd = read(dir.resolve(file));
        List<String> fields = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        walk(
            "",
            crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema(),
            fields,
            missing);
        assertThat(fields).as("fields of %s", dir.resolve(file)).hasSizeGreaterThan(10);
        assertThat(missing)
            .as(
                "fields without a description in %s (%d of %d)",
                dir.resolve(file), missing.size(), fields.size())
            .isEmpty();
      }
    }
  }

  @Test
  void printerColumnsAndCategories() throws IOException {
    for (Path dir : List.of(CrdGoldenTest.GENERATED, CrdGoldenTest.repoRoot().resolve("crds"))) {
      CustomResourceDefinition migrations = read(dir.resolve(MIGRATIONS));
      assertThat(columns(migrations))
          .containsExactly("Phase", "Ready", "Image", "Backup", "Reason", "Age");
      assertThat(migrations.getSpec().getVersions().get(0).getAdditionalPrinterColumns())
          .filteredOn(c -> c.getName().equals("Ready"))
          .extracting(CustomResourceColumnDefinition::getJsonPath)
          .containsExactly(".status.conditions[?(@.type==\"Ready\")].status");
      CustomResourceDefinition backups = read(dir.resolve(BACKUPS));
      assertThat(columns(backups))
          .containsExactly("Database", "Method", "State", "Size", "Verified", "Age");
      assertThat(migrations.getSpec().getNames().getCategories()).containsExactly("dbguard");
      assertThat(backups.getSpec().getNames().getCategories()).containsExactly("dbguard");
    }
  }

  @Test
  void notesShowTheColumnsInTheSameOrder() throws IOException {
    String notes =
        Files.readString(CrdGoldenTest.repoRoot().resolve("helm/dbguard/templates/NOTES.txt"));
    assertThat(notes)
        .contains(
            "# " + String.join(", ", columns(read(CrdGoldenTest.GENERATED.resolve(MIGRATIONS)))));
    assertThat(notes).contains("kubectl get dbguard");
  }

  private static List<String> columns(CustomResourceDefinition crd) {
    return crd.getSpec().getVersions().get(0).getAdditionalPrinterColumns().stream()
        .map(CustomResourceColumnDefinition::getName)
        .toList();
  }

  private static CustomResourceDefinition read(Path file) throws IOException {
    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class);
  }

  /** Collects every property path below {@code schema} (array items and map values included). */
  private static void walk(
      String path, JSONSchemaProps schema, List<String> fields, List<String> missing) {
    if (schema.getProperties() != null) {
      for (Map.Entry<String, JSONSchemaProps> e : schema.getProperties().entrySet()) {
        String child = path + "." + e.getKey();
        fields.add(child);
        String description = e.getValue().getDescription();
        if (description == null || description.isBlank()) {
          missing.add(child);
        }
        walk(child, e.getValue(), fields, missing);
      }
    }
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      walk(path + "[]", schema.getItems().getSchema(), fields, missing);
    }
    if (schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      walk(path + "{}", schema.getAdditionalProperties().getSchema(), fields, missing);
    }
  }
}
