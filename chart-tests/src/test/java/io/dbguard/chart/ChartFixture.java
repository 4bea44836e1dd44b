package io.dbguard.chart;

import com.marcnuri.helm.Helm;
import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The chart {@code helm/dbguard} as Helm sees it: rendered by Helm itself (helm-java, the Go Helm
 * library through JNA) and parsed into fabric8 objects.
 */
final class ChartFixture {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ChartFixture() {}

  /** The repository root ({@code $DBGUARD_REPO_ROOT}, set by the parent pom). */
  static Path repoRoot() {
    return Objects.requireNonNull(TestCluster.repoRoot(), "repository root not found");
  }

  /** {@code helm/dbguard}. */
  static Path chartDir() {
    return repoRoot().resolve("helm").resolve("dbguard");
  }

  /**
   * Renders the chart like {@code helm template <release> helm/dbguard -n <namespace> -f <values>}.
   *
   * @param valuesYaml extra values as YAML ("" for the defaults)
   * @return Helm's output, documents separated by {@code ---}
   * @throws IllegalStateException with Helm's message when rendering fails (e.g. {@code fail})
   */
  static String render(String release, String namespace, String valuesYaml) {
    try {
      Path values = Files.createTempFile("dbguard-values-", ".yaml");
      try {
        Files.writeString(values, valuesYaml);
        return new Helm(chartDir())
            .template()
            .withName(release)
            .withNamespace(namespace)
            .withValuesFile(values)
            .call();
      } finally {
        Files.deleteIfExists(values);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Rendered and parsed; CRDs (the chart's crds/) are not part of {@code helm template}. */
  static List<HasMetadata> renderObjects(String release, String namespace, String valuesYaml) {
    return parse(render(release, namespace, valuesYaml));
  }

  /** Splits multi-document YAML and parses each non-empty document. */
  static List<HasMetadata> parse(String yaml) {
    List<HasMetadata> out = new ArrayList<>();
    for (String doc : yaml.split("(?m)^---\\s*$")) {
      boolean hasContent =
          doc.lines().map(String::strip).anyMatch(l -> !l.isEmpty() && !l.startsWith("#"));
      if (hasContent) {
        Object parsed = SERIALIZATION.unmarshal(doc);
        if (!(parsed instanceof HasMetadata h)) {
          throw new AssertionError("not a Kubernetes object: " + doc);
        }
        out.add(h);
      }
    }
    return out;
  }

  static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  static List<HasMetadata> ofKind(List<HasMetadata> objects, String kind) {
    return objects.stream().filter(o -> kind.equals(o.getKind())).toList();
  }

  static Deployment operatorDeployment(List<HasMetadata> objects) {
    List<Deployment> deployments = ofType(objects, Deployment.class);
    if (deployments.size() != 1) {
      throw new AssertionError("expected one Deployment, got " + deployments.size());
    }
    return deployments.get(0);
  }

  /**
   * Flattens RBAC rules into {@code "<apiGroup>|<resource>|<verb>"} grants (resourceNames appended
   * as {@code |name=<n>}), so two rule lists can be compared grant by grant.
   */
  static Set<String> grants(List<PolicyRule> rules) {
    Set<String> out = new TreeSet<>();
    for (PolicyRule r : rules) {
      List<String> names =
          r.getResourceNames() == null || r.getResourceNames().isEmpty()
              ? List.of("")
              : r.getResourceNames().stream().map(n -> "|name=" + n).toList();
      for (String g : r.getApiGroups()) {
        for (String res : r.getResources()) {
          for (String v : r.getVerbs()) {
            for (String n : names) {
              out.add(g + "|" + res + "|" + v + n);
            }
          }
        }
      }
    }
    return out;
  }

  /** Grants written compactly: {@code grant("apps", "deployments", "get", "list")}. */
  static Set<String> grant(String group, String resource, String... verbs) {
    return Set.of(verbs).stream()
        .map(v -> group + "|" + resource + "|" + v)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
