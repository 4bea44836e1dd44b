package io.dbguard.demo;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The sample application of the demo, {@code examples/k8s/shop-sqlite.yaml} in namespace {@value
 * #NAMESPACE}: a Deployment {@code shop} whose pods carry the {@code dbguard gate} init container,
 * and the DatabaseMigration {@code shop} of its SQLite database on the claim {@code shop-data}. A
 * release sets one value in three places, as a chart would: the DatabaseMigration's {@code
 * migrate.image} (with its migrations ConfigMap), the Deployment's image and the gate's {@code
 * --image}.
 */
final class ShopApp {
  static final String NAMESPACE = "shop";
  static final String NAME = "shop";
  static final String SERVICE_ACCOUNT = "shop";
  static final String DATA_CLAIM = "shop-data";
  static final String DATABASE_FILE = "shop.db";

  static final ResourceDefinitionContext MIGRATIONS =
      new ResourceDefinitionContext.Builder()
          .withGroup("dbguard.io")
          .withVersion("v1alpha1")
          .withKind("DatabaseMigration")
          .withPlural("databasemigrations")
          .withNamespaced(true)
          .build();

  /**
   * A release of the shop.
   *
   * @param version image tag, e.g. {@code 1.2.1}
   * @param releaseDirs directories under {@code examples/sqlite-demo/releases} whose migration
   *     files together make up this release's migrations
   */
  record ShopRelease(String version, List<String> releaseDirs) {
    String image() {
      return "shop:" + version;
    }

    String configMap() {
      return "shop-migrations-" + version;
    }
  }

  private final KubernetesClient client;
  private final Path root;

  ShopApp(KubernetesClient client, Path root) {
    this.client = client;
    this.root = root;
  }

  /**
   * Creates the application's ServiceAccount (from the manifest) before {@code helm install}, whose
   * gate RoleBinding names it.
   */
  void createServiceAccount() {
    for (HasMetadata o : manifests()) {
      if ("ServiceAccount".equals(o.getKind())) {
        o.getMetadata().setNamespace(NAMESPACE);
        client.resource(o).serverSideApply();
      }
    }
  }

  /**
   * Creates the release's migrations ConfigMap, then applies {@code examples/k8s/shop-sqlite.yaml}
   * (its release must be {@code release}: the file is written for the first release).
   */
  void install(ShopRelease release) {
    createMigrationsConfigMap(release);
    for (HasMetadata o : manifests()) {
      o.getMetadata().setNamespace(NAMESPACE);
      client.resource(o).fieldManager("kubectl").forceConflicts().serverSideApply();
    }
    String applied = deployedImage();
    if (!release.image().equals(applied)) {
      throw new DemoFailure(
          "examples/k8s/shop-sqlite.yaml deploys " + applied + ", expected " + release.image());
    }
  }

  /**
   * Rolls out {@code release}: its migrations ConfigMap, then the DatabaseMigration ({@code
   * migrate.image}, {@code migrate.sql.configMapName}) and the Deployment (image and the gate's
   * {@code --image}).
   */
  void rollOut(ShopRelease release) {
    createMigrationsConfigMap(release);
    client
        .genericKubernetesResources(MIGRATIONS)
        .inNamespace(NAMESPACE)
        .withName(NAME)
        .patch(
            PatchContext.of(PatchType.JSON_MERGE),
            "{\"spec\":{\"migrate\":{\"image\":\""
                + release.image()
                + "\",\"sql\":{\"configMapName\":\""
                + release.configMap()
                + "\"}}}}");
    setDeploymentImage(release.image());
  }

  /**
   * Points the Deployment (container and gate) at {@code image} and nothing else, as {@code kubectl
   * rollout undo} does when the previous revision had that image.
   */
  void setDeploymentImage(String image) {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    Container gate = d.getSpec().getTemplate().getSpec().getInitContainers().get(0);
    List<String> args = new ArrayList<>(gate.getArgs());
    args.set(args.indexOf("--image") + 1, image);
    // A strategic merge patch of the pod template only (containers merge by name), as `kubectl set
    // image` sends: no resourceVersion, so the operator scaling the Deployment meanwhile does not
    // make it conflict.
    Map<String, Object> template =
        Map.of(
            "spec",
            Map.of(
                "containers",
                List.of(
                    Map.of(
                        "name",
                        d.getSpec().getTemplate().getSpec().getContainers().get(0).getName(),
                        "image",
                        image)),
                "initContainers",
                List.of(Map.of("name", gate.getName(), "args", args))));
    client
        .apps()
        .deployments()
        .inNamespace(NAMESPACE)
        .withName(NAME)
        .patch(
            PatchContext.of(PatchType.STRATEGIC_MERGE),
            client
                .getKubernetesSerialization()
                .asJson(Map.of("spec", Map.of("template", template))));
  }

  /** The Deployment's container image. */
  String deployedImage() {
    Deployment d = client.apps().deployments().inNamespace(NAMESPACE).withName(NAME).get();
    return d == null ? null : d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** The DatabaseMigration as {@code kubectl get dbmig} shows it, or null when absent. */
  MigrationRow migration() {
    GenericKubernetesResource m =
        client.genericKubernetesResources(MIGRATIONS).inNamespace(NAMESPACE).withName(NAME).get();
    return m == null ? null : MigrationRow.of(m);
  }

  private void createMigrationsConfigMap(ShopRelease release) {
    Map<String, String> files = new TreeMap<>();
    for (String dir : release.releaseDirs()) {
      Path d = root.resolve("examples/sqlite-demo/releases").resolve(dir);
      try (Stream<Path> s = Files.list(d)) {
        for (Path f : s.filter(p -> p.toString().endsWith(".sql")).toList()) {
          files.put(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(release.configMap())
                .withNamespace(NAMESPACE)
                .endMetadata()
                .withData(files)
                .build())
        .fieldManager("kubectl")
        .forceConflicts()
        .serverSideApply();
  }

  private List<HasMetadata> manifests() {
    try (InputStream in = Files.newInputStream(root.resolve("examples/k8s/shop-sqlite.yaml"))) {
      return client.load(in).items();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // ------------------------------------------------------------------------------ pods

  /**
   * A pod of the shop as {@code kubectl get pods} shows it, plus the gate's last exit.
   *
   * @param name pod name
   * @param image the web container's image
   * @param status kubectl's STATUS column ({@code Init:0/1}, {@code Init:CrashLoopBackOff}, {@code
   *     Running}, {@code Terminating} …)
   * @param gateExit exit code of the gate's last finished run, or null
   * @param gateMessage termination message of that run, or {@code ""}
   */
  record ShopPod(String name, String image, String status, Integer gateExit, String gateMessage) {}

  /** The shop's pods, by name. */
  List<ShopPod> pods() {
    List<ShopPod> out = new ArrayList<>();
    List<Pod> pods =
        client.pods().inNamespace(NAMESPACE).withLabel("app", NAME).list().getItems().stream()
            .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
            .toList();
    for (Pod p : pods) {
      ContainerStateTerminated gate = null;
      if (p.getStatus() != null && p.getStatus().getInitContainerStatuses() != null) {
        for (ContainerStatus s : p.getStatus().getInitContainerStatuses()) {
          if (s.getState() != null && s.getState().getTerminated() != null) {
            gate = s.getState().getTerminated();
          } else if (s.getLastState() != null && s.getLastState().getTerminated() != null) {
            gate = s.getLastState().getTerminated();
          }
        }
      }
      out.add(
          new ShopPod(
              p.getMetadata().getName(),
              p.getSpec().getContainers().get(0).getImage(),
              status(p),
              gate == null ? null : gate.getExitCode(),
              gate == null || gate.getMessage() == null ? "" : gate.getMessage().strip()));
    }
    return out;
  }

  /** kubectl's STATUS column for a pod with init containers. */
  static String status(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null) {
      return "Terminating";
    }
    if (p.getStatus() == null) {
      return "Pending";
    }
    List<ContainerStatus> init = p.getStatus().getInitContainerStatuses();
    if (init != null) {
      int done = 0;
      for (ContainerStatus s : init) {
        var state = s.getState();
        if (state != null
            && state.getTerminated() != null
            && state.getTerminated().getExitCode() == 0) {
          done++;
          continue;
        }
        if (state != null
            && state.getWaiting() != null
            && state.getWaiting().getReason() != null
            && !"PodInitializing".equals(state.getWaiting().getReason())) {
          return "Init:" + state.getWaiting().getReason();
        }
        if (state != null && state.getTerminated() != null) {
          return "Init:Error";
        }
        return "Init:" + done + "/" + init.size();
      }
    }
    String phase = p.getStatus().getPhase();
    return phase == null ? "Pending" : phase;
  }
}
