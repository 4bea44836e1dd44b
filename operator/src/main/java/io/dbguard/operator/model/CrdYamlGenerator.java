package io.dbguard.operator.model;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.CRDGenerator;
import io.fabric8.crdv2.generator.CRDPostProcessor;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Build-time tool (run by the operator module's build in the {@code process-classes} phase, not
 * part of the operator image): writes the CRD YAML of {@link DatabaseMigration} and {@link
 * DatabaseBackup} with the fabric8 CRD generator (v2) into the directory given as the only argument
 * ({@code target/classes/META-INF/fabric8}, then copied to {@code crds/} by {@code
 * scripts/sync-crds.sh}).
 *
 * <p>One deliberate difference from the generator's plain output: the generator sorts printer
 * columns by JSON path, so {@code Age} (on {@code .metadata}) would come first. Here they keep the
 * order in which the {@link AdditionalPrinterColumn} annotations are declared on the class (e.g.
 * Phase, Ready, Image, Backup, Reason, Age), which is the order {@code kubectl get} prints.
 */
public final class CrdYamlGenerator {

  private static final Map<String, Class<?>> BY_KIND =
      Map.of("DatabaseMigration", DatabaseMigration.class, "DatabaseBackup", DatabaseBackup.class);

  private CrdYamlGenerator() {}

  /**
   * Writes {@code <plural>.dbguard.io-v1.yml} for each resource.
   *
   * @param args one element: the output directory (created if missing)
   * @throws IllegalArgumentException when no directory is given
   */
  public static void main(String[] args) {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CrdYamlGenerator OUTPUT_DIR");
    }
    File out = new File(args[0]);
    if (!out.isDirectory() && !out.mkdirs()) {
      throw new IllegalStateException("cannot create " + out);
    }
    int written =
        new CRDGenerator()
            .inOutputDir(out)
            .forCRDVersions("v1")
            .customResourceClasses(DatabaseMigration.class, DatabaseBackup.class)
            .withPostProcessor(
                new CRDPostProcessor() {
                  @Override
                  public HasMetadata process(HasMetadata crd, String crdSpecVersion) {
                    return declaredColumnOrder(crd);
                  }
                })
            .generate();
    if (written != BY_KIND.size()) {
      throw new IllegalStateException("expected " + BY_KIND.size() + " CRDs, wrote " + written);
    }
  }

  /**
   * Reorders each version's printer columns to the declaration order of the kind's {@link
   * AdditionalPrinterColumn} annotations (matched by column name).
   *
   * @param resource a generated {@code apiextensions.k8s.io/v1} CustomResourceDefinition
   * @return the same object, changed in place
   */
  static HasMetadata declaredColumnOrder(HasMetadata resource) {
    if (!(resource instanceof CustomResourceDefinition crd)) {
      return resource;
    }
    Class<?> kind = BY_KIND.get(crd.getSpec().getNames().getKind());
    if (kind == null) {
      return resource;
    }
    List<String> declared =
        Arrays.stream(kind.getAnnotationsByType(AdditionalPrinterColumn.class))
            .map(AdditionalPrinterColumn::name)
            .toList();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      List<CustomResourceColumnDefinition> columns =
          new ArrayList<>(version.getAdditionalPrinterColumns());
      columns.sort(Comparator.comparingInt(c -> declared.indexOf(c.getName())));
      version.setAdditionalPrinterColumns(columns);
    }
    return crd;
  }
}
