package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.core.report.ExitCode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@code dbguard kubectl} plugin's whole use of the Kubernetes API: get a DatabaseMigration,
 * list DatabaseBackups, merge-patch either. Configuration is kubectl's: {@code --kubeconfig}, else
 * {@code KUBECONFIG} (or the {@code kubeconfig} system property), else {@code ~/.kube/config}, else
 * the pod's ServiceAccount; {@code --context} picks a context; the namespace is {@code -n}, else
 * the context's, else {@code default}.
 *
 * <p>Every API failure becomes a {@link KubectlException} whose message names what was refused: 403
 * → "you may not VERB RESOURCE in namespace NS" and the Role that grants it
 * (examples/k8s/plugin-rbac.yaml); an unreachable server names its URL.
 */
final class KubectlApi implements AutoCloseable {
  static final String GROUP = "dbguard.io";
  static final String VERSION = "v1alpha1";
  static final String MIGRATIONS = "databasemigrations";
  static final String BACKUPS = "databasebackups";

  /** The Role that grants what the plugin does (shipped with the repository). */
  static final String RBAC_HINT = "the Role in examples/k8s/plugin-rbac.yaml grants what it needs";

  /** The same for {@code -A}: rules in every namespace. */
  static final String RBAC_HINT_CLUSTER =
      "a ClusterRole with the rules of examples/k8s/plugin-rbac.yaml grants it";

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final ResourceDefinitionContext MIGRATION_CTX = context("DatabaseMigration");
  private static final ResourceDefinitionContext BACKUP_CTX = context("DatabaseBackup");

  private final KubernetesClient client;
  private final String namespace;

  private KubectlApi(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Reads the client configuration like kubectl and prepares a client (it connects on the first
   * request).
   *
   * @param kubeconfig {@code --kubeconfig}, or null
   * @param context {@code --context}, or null for the current context
   * @param namespace {@code -n}, or null for the context's namespace (else {@code default})
   * @throws KubectlException (usage) when the kubeconfig cannot be read or has no such context
   */
  static KubectlApi connect(Path kubeconfig, String context, String namespace) {
    Config config;
    try {
      if (kubeconfig != null) {
        if (!Files.isReadable(kubeconfig)) {
          throw new KubectlException(ExitCode.USAGE, "cannot read kubeconfig " + kubeconfig);
        }
        config = Config.fromKubeconfig(context, kubeconfig.toFile());
      } else {
        config = Config.autoConfigure(context);
      }
    } catch (KubernetesClientException | IllegalArgumentException e) {
      throw new KubectlException(
          ExitCode.USAGE, "cannot read the Kubernetes client configuration: " + e.getMessage());
    }
    if (context != null) {
      NamedContext current = config.getCurrentContext();
      if (current == null || !context.equals(current.getName())) {
        throw new KubectlException(
            ExitCode.USAGE,
            "context \"" + context + "\" does not exist in " + kubeconfigName(kubeconfig));
      }
    }
    // One attempt per request: an unreachable server is reported at once, not after back-off.
    config.setRequestRetryBackoffLimit(0);
    config.setConnectionTimeout(10_000);
    String ns =
        namespace != null
            ? namespace
            : config.getNamespace() != null ? config.getNamespace() : "default";
    return new KubectlApi(new KubernetesClientBuilder().withConfig(config).build(), ns);
  }

  /** For tests: a client as given, in {@code namespace}. */
  static KubectlApi of(KubernetesClient client, String namespace) {
    return new KubectlApi(client, namespace);
  }

  /** The namespace commands act in. */
  String namespace() {
    return namespace;
  }

  /**
   * The DatabaseMigration {@code name} as a JSON tree.
   *
   * @throws KubectlException (usage) when it does not exist; (API) when refused or unreachable
   */
  JsonNode migration(String name) {
    GenericKubernetesResource r =
        call(
            "get",
            MIGRATIONS,
            () ->
                client
                    .genericKubernetesResources(MIGRATION_CTX)
                    .inNamespace(namespace)
                    .withName(name)
                    .get());
    if (r == null) {
      throw notFound("DatabaseMigration", name);
    }
    return JSON.valueToTree(r);
  }

  /**
   * The DatabaseBackup {@code name} as a JSON tree.
   *
   * @throws KubectlException (usage) when it does not exist; (API) when refused or unreachable
   */
  JsonNode backup(String name) {
    GenericKubernetesResource r =
        call(
            "get",
            BACKUPS,
            () ->
                client
                    .genericKubernetesResources(BACKUP_CTX)
                    .inNamespace(namespace)
                    .withName(name)
                    .get());
    if (r == null) {
      throw notFound("DatabaseBackup", name);
    }
    return JSON.valueToTree(r);
  }

  /**
   * Every DatabaseBackup in the namespace, or in all namespaces.
   *
   * @throws KubectlException (API) when refused or unreachable
   */
  List<JsonNode> backups(boolean allNamespaces) {
    List<GenericKubernetesResource> items =
        call(
            "list",
            allNamespaces ? null : namespace,
            BACKUPS,
            () ->
                allNamespaces
                    ? client
                        .genericKubernetesResources(BACKUP_CTX)
                        .inAnyNamespace()
                        .list()
                        .getItems()
                    : client
                        .genericKubernetesResources(BACKUP_CTX)
                        .inNamespace(namespace)
                        .list()
                        .getItems());
    List<JsonNode> out = new ArrayList<>();
    for (GenericKubernetesResource r : items) {
      out.add(JSON.valueToTree(r));
    }
    return out;
  }

  /**
   * JSON merge patch (RFC 7386) of a DatabaseMigration, e.g. {@code
   * {"metadata":{"annotations":{…},"resourceVersion":"42"}}} (a resourceVersion makes it
   * conditional: a 409 when the object changed since it was read).
   *
   * @throws KubectlException (usage) when it does not exist; (API) when refused, in conflict or
   *     unreachable
   */
  void patchMigration(String name, JsonNode mergePatch) {
    patch(MIGRATION_CTX, MIGRATIONS, "DatabaseMigration", name, mergePatch);
  }

  /**
   * Sets annotation {@code key} to {@code value} on the DatabaseMigration {@code read}, conditional
   * on {@code read}'s resourceVersion (a conflict, exit 5, when it changed since).
   *
   * @throws KubectlException as {@link #patchMigration}
   */
  void annotateMigration(JsonNode read, String key, String value) {
    com.fasterxml.jackson.databind.node.ObjectNode patch = JSON.createObjectNode();
    com.fasterxml.jackson.databind.node.ObjectNode meta = patch.putObject("metadata");
    meta.put("resourceVersion", read.path("metadata").path("resourceVersion").asText());
    meta.putObject("annotations").put(key, value);
    patchMigration(read.path("metadata").path("name").asText(), patch);
  }

  /** JSON merge patch of a DatabaseBackup; errors as {@link #patchMigration}. */
  void patchBackup(String name, JsonNode mergePatch) {
    patch(BACKUP_CTX, BACKUPS, "DatabaseBackup", name, mergePatch);
  }

  private void patch(
      ResourceDefinitionContext ctx, String resource, String kind, String name, JsonNode body) {
    try {
      call(
          "patch",
          resource,
          () ->
              client
                  .genericKubernetesResources(ctx)
                  .inNamespace(namespace)
                  .withName(name)
                  .patch(PatchContext.of(PatchType.JSON_MERGE), body.toString()));
    } catch (KubectlException e) {
      if (e.notFoundOnServer()) {
        throw notFound(kind, name);
      }
      throw e;
    }
  }

  private <T> T call(String verb, String resource, Supplier<T> op) {
    return call(verb, namespace, resource, op);
  }

  private <T> T call(String verb, String scope, String resource, Supplier<T> op) {
    try {
      return op.get();
    } catch (KubernetesClientException e) {
      throw explain(e, verb, resource, scope, client.getMasterUrl().toString());
    }
  }

  /**
   * The plugin's message for an API failure of {@code verb} on {@code resource} (plural, group
   * dbguard.io) in {@code namespace} (null: in all namespaces). Pure.
   */
  static KubectlException explain(
      KubernetesClientException e, String verb, String resource, String namespace, String url) {
    String what = resource + "." + GROUP;
    return switch (e.getCode()) {
      case 403 ->
          new KubectlException(
              ExitCode.CONNECTION_FAILED,
              "forbidden: you may not "
                  + verb
                  + " "
                  + what
                  + (namespace == null
                      ? " in all namespaces (" + RBAC_HINT_CLUSTER + ")"
                      : " in namespace " + namespace + " (" + RBAC_HINT + ")"));
      case 401 ->
          new KubectlException(
              ExitCode.CONNECTION_FAILED,
              "unauthorized: the API server at " + url + " did not accept your credentials");
      case 404 ->
          new KubectlException(
              ExitCode.USAGE,
              "the API server does not know "
                  + what
                  + ": are dbguard's CRDs installed (helm install dbguard ./helm/dbguard)?",
              true);
      case 409 ->
          new KubectlException(
              ExitCode.CONNECTION_FAILED,
              "conflict: the object changed while this command ran; run it again");
      default ->
          e.getCode() <= 0
              ? new KubectlException(
                  ExitCode.CONNECTION_FAILED,
                  "cannot reach the API server at " + url + ": " + rootMessage(e))
              : new KubectlException(
                  ExitCode.CONNECTION_FAILED,
                  "the API server refused to " + verb + " " + what + ": " + statusMessage(e));
    };
  }

  private static String statusMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return e.getStatus().getMessage();
    }
    return "HTTP " + e.getCode();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
  }

  private KubectlException notFound(String kind, String name) {
    return new KubectlException(
        ExitCode.USAGE, kind + " \"" + name + "\" not found in namespace " + namespace);
  }

  private static String kubeconfigName(Path kubeconfig) {
    if (kubeconfig != null) {
      return kubeconfig.toString();
    }
    String env = System.getProperty("kubeconfig", System.getenv("KUBECONFIG"));
    return env != null ? env : new File(System.getProperty("user.home"), ".kube/config").getPath();
  }

  private static ResourceDefinitionContext context(String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(GROUP)
        .withVersion(VERSION)
        .withKind(kind)
        .withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s")
        .withNamespaced(true)
        .build();
  }

  @Override
  public void close() {
    client.close();
  }
}
