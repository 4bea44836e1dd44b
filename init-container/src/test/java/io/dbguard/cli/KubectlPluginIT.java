package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.FileInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code dbguard kubectl …} against a real kube-apiserver with dbguard's CRDs, authenticated as
 * ServiceAccounts bound to the Roles of {@code examples/k8s/plugin-rbac.yaml} (view: get/list;
 * edit: also patch), through a kubeconfig file as a user would have it. Commands run in this JVM
 * ({@link Main#commandLine()}), and through {@code scripts/kubectl-dbguard} run by the test rig's
 * real {@code kubectl} binary (plugin discovery on PATH), as users run it.
 */
@WithTestCluster
class KubectlPluginIT {
  static final ObjectMapper JSON = new ObjectMapper();

  static final ResourceDefinitionContext MIGRATIONS = ctx("DatabaseMigration");
  static final ResourceDefinitionContext BACKUPS = ctx("DatabaseBackup");

  static TestCluster cluster;
  static KubernetesClient client;

  @TempDir Path tmp;

  /** Output of one command: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {}

  @Test
  void statusShowsPhaseStepAttemptsGateAndOnlyItsOwnBackups(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "viewer", "dbguard-plugin-view");
    rolledBackShop(ns);
    backup(ns, "shop-b1", "shop", Map.of("state", "Ready", "verified", true, "sizeBytes", 4096));
    backup(ns, "shop-b2", "shop", Map.of("state", "Ready", "verified", true, "sizeBytes", 8192));
    backup(ns, "other-b1", "other", Map.of("state", "Ready", "verified", true));

    Run r = kubectl("status", "shop", "--kubeconfig", kc.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("DatabaseMigration " + ns + "/shop")
        .contains("phase     RolledBack (MigrationFailed)")
        .contains("image     shop:v2 (last succeeded: shop:v1)")
        .contains("revision  3f2a9c1d, attempt 2")
        .contains("step      Restore, job shop-restore-3f2a9c1d")
        .contains("gate      shop:v1 open")
        .contains("gate      shop:v2 closed")
        .contains("shop-b1")
        .contains("shop-b2")
        .doesNotContain("other-b1");
    // Attempts newest first.
    assertThat(r.out().indexOf("3f2a9c1d   shop:v2   RolledBack"))
        .isPositive()
        .isLessThan(r.out().indexOf("aaaa1111   shop:v1   Succeeded"));

    JsonNode json =
        JSON.readTree(kubectl("status", "shop", "-o", "json", "--kubeconfig", kc.toString()).out());
    assertThat(json.path("phase").asText()).isEqualTo("RolledBack");
    assertThat(json.path("attempts")).hasSize(2);
    assertThat(json.path("backups")).hasSize(2);
    assertThat(json.path("backups").get(0).path("sizeBytes").asLong()).isIn(4096L, 8192L);
  }

  @Test
  void backupsListsVerifiedPinnedStateAndFiltersByMigration(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "viewer", "dbguard-plugin-view");
    backup(ns, "shop-b1", "shop", Map.of("state", "Pruned", "verified", true, "sizeBytes", 1536));
    backup(ns, "other-b1", "other", Map.of("state", "Ready", "verified", false));
    pinOnServer(ns, "other-b1");

    Run all = kubectl("backups", "--kubeconfig", kc.toString());
    assertThat(all.code()).as(all.err()).isZero();
    List<String> lines = all.out().lines().toList();
    assertThat(lines.get(0).split(" +"))
        .containsExactly(
            "NAME", "DATABASE", "METHOD", "SIZE", "VERIFIED", "PINNED", "STATE", "AGE");
    assertThat(lines).hasSize(3);
    assertThat(all.out()).contains("1.5 KiB").contains("Pruned");
    String other = lines.stream().filter(l -> l.startsWith("other-b1")).findFirst().orElseThrow();
    assertThat(other.split(" +")).containsSubsequence("no", "yes", "Ready");

    Run one = kubectl("backups", "shop", "--kubeconfig", kc.toString(), "-o", "json");
    JsonNode items = JSON.readTree(one.out()).path("items");
    assertThat(items).hasSize(1);
    assertThat(items.get(0).path("name").asText()).isEqualTo("shop-b1");
    assertThat(items.get(0).path("state").asText()).isEqualTo("Pruned");

    assertThat(kubectl("backups", "--all", "--kubeconfig", kc.toString()).out().lines()).hasSize(3);
    // A namespaced Role does not list across namespaces: the message names the verb and scope.
    Run everywhere = kubectl("backups", "-A", "--kubeconfig", kc.toString());
    assertThat(everywhere.code()).isEqualTo(5);
    assertThat(everywhere.err())
        .contains("forbidden: you may not list databasebackups.dbguard.io in all namespaces")
        .contains("examples/k8s/plugin-rbac.yaml");
  }

  @Test
  void retrySetsANewRetryTokenOnlyAfterAFailureUnlessForced(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "oncall", "dbguard-plugin-edit");
    rolledBackShop(ns);

    Run r = kubectl("retry", "shop", "--kubeconfig", kc.toString());
    assertThat(r.code()).as(r.err()).isZero();
    String first = retryAnnotation(ns, "shop");
    assertThat(first).matches("\\d{10}");
    assertThat(r.out()).contains("dbguard.io/retry=" + first).contains("was RolledBack");

    // A second retry is a second new value, even within the same second.
    JsonNode again =
        JSON.readTree(kubectl("retry", "shop", "-o", "json", "--kubeconfig", kc.toString()).out());
    String second = retryAnnotation(ns, "shop");
    assertThat(second).isNotEqualTo(first).isEqualTo(again.path("token").asText());

    // Succeeded: refused (exit 2), nothing changed; --force retries anyway.
    setStatus(ns, "shop", Map.of("phase", "Succeeded", "image", "shop:v2"));
    Run refused = kubectl("retry", "shop", "--kubeconfig", kc.toString());
    assertThat(refused.code()).isEqualTo(2);
    assertThat(refused.err()).contains("it succeeded").contains("--force");
    assertThat(retryAnnotation(ns, "shop")).isEqualTo(second);
    assertThat(kubectl("retry", "shop", "--force", "--kubeconfig", kc.toString()).code()).isZero();
    assertThat(retryAnnotation(ns, "shop")).isNotEqualTo(second);
  }

  @Test
  void approveSetsTheWaitingRevisionAfterShowingThePlanAndOnlyThen(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "oncall", "dbguard-plugin-edit");
    rolledBackShop(ns);

    // not waiting for an approval: refused, nothing set
    Run notWaiting = kubectl("approve", "shop", "--kubeconfig", kc.toString());
    assertThat(notWaiting.code()).isEqualTo(2);
    assertThat(notWaiting.err()).contains("not waiting for an approval (phase RolledBack)");
    assertThat(annotation(ns, "shop", "dbguard.io/approve")).isNull();

    setStatus(
        ns,
        "shop",
        JSON.readValue(
            """
            {"phase":"AwaitingApproval","reason":"AwaitingApproval","image":"shop:v3",
             "revision":"77aa88bb","attempt":3,
             "plan":{"revision":"77aa88bb","summary":"2 pending (V3__orders, V4__index), nothing refused",
                     "pending":["V3__orders","V4__index"],"pendingCount":2,
                     "roleWarnings":["role app owns table orders"],"approval":"Waiting"}}
            """,
            Map.class));
    // a revision other than the waiting plan's: refused, nothing set
    Run other = kubectl("approve", "shop", "--revision", "3f2a9c1d", "--kubeconfig", kc.toString());
    assertThat(other.code()).isEqualTo(2);
    assertThat(other.err()).contains("the waiting plan is for revision 77aa88bb, not 3f2a9c1d");
    assertThat(annotation(ns, "shop", "dbguard.io/approve")).isNull();

    Run ok = kubectl("approve", "shop", "--revision", "77aa88bb", "--kubeconfig", kc.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out())
        .contains("plan: 2 pending (V3__orders, V4__index), nothing refused")
        .contains("pending: V3__orders, V4__index")
        .contains("role: role app owns table orders")
        .contains("approved: DatabaseMigration " + ns + "/shop revision 77aa88bb");
    assertThat(annotation(ns, "shop", "dbguard.io/approve")).isEqualTo("77aa88bb");

    // a viewer may not approve
    Path viewer = user(ns, "auditor", "dbguard-plugin-view");
    Run denied = kubectl("approve", "shop", "--kubeconfig", viewer.toString());
    assertThat(denied.code()).isEqualTo(5);
  }

  @Test
  void aViewerMayReadButNotRetryOrPin(@TestNamespace String ns) throws Exception {
    Path kc = user(ns, "viewer", "dbguard-plugin-view");
    rolledBackShop(ns);
    backup(ns, "shop-b1", "shop", Map.of("state", "Ready", "verified", true));

    Run retry = kubectl("retry", "shop", "--kubeconfig", kc.toString());
    assertThat(retry.code()).isEqualTo(5);
    assertThat(retry.err())
        .contains("forbidden: you may not patch databasemigrations.dbguard.io in namespace " + ns);
    assertThat(retryAnnotation(ns, "shop")).isNull();

    Run pin = kubectl("pin", "shop-b1", "--kubeconfig", kc.toString());
    assertThat(pin.code()).isEqualTo(5);
    assertThat(pin.err())
        .contains("forbidden: you may not patch databasebackups.dbguard.io in namespace " + ns);
    assertThat(pinned(ns, "shop-b1")).isFalse();

    // Without any Role: even get is refused, and named.
    Path nobody = user(ns, "nobody", null);
    Run status = kubectl("status", "shop", "--kubeconfig", nobody.toString());
    assertThat(status.code()).isEqualTo(5);
    assertThat(status.err())
        .contains("forbidden: you may not get databasemigrations.dbguard.io in namespace " + ns);
  }

  @Test
  void pinAndUnpinSetSpecPinnedAndRefuseAPrunedBackup(@TestNamespace String ns) throws Exception {
    Path kc = user(ns, "oncall", "dbguard-plugin-edit");
    backup(ns, "shop-b1", "shop", Map.of("state", "Ready", "verified", true));
    backup(ns, "shop-b0", "shop", Map.of("state", "Pruned", "verified", true));

    Run pin = kubectl("pin", "shop-b1", "--kubeconfig", kc.toString());
    assertThat(pin.code()).as(pin.err()).isZero();
    assertThat(pin.out()).contains("shop-b1 pinned");
    assertThat(pinned(ns, "shop-b1")).isTrue();
    assertThat(kubectl("pin", "shop-b1", "--kubeconfig", kc.toString()).out())
        .contains("already pinned");

    Run unpin = kubectl("unpin", "shop-b1", "-o", "json", "--kubeconfig", kc.toString());
    assertThat(JSON.readTree(unpin.out()).path("changed").asBoolean()).isTrue();
    assertThat(pinned(ns, "shop-b1")).isFalse();

    Run pruned = kubectl("pin", "shop-b0", "--kubeconfig", kc.toString());
    assertThat(pruned.code()).isEqualTo(2);
    assertThat(pruned.err()).contains("Pruned");
    assertThat(pinned(ns, "shop-b0")).isFalse();

    Run missing = kubectl("pin", "nope", "--kubeconfig", kc.toString());
    assertThat(missing.code()).isEqualTo(4);
    assertThat(missing.err()).contains("DatabaseBackup \"nope\" not found in namespace " + ns);
  }

  @Test
  void namespaceAndContextAreKubectls(@TestNamespace String ns) throws Exception {
    Path kc = user(ns, "viewer", "dbguard-plugin-view");
    rolledBackShop(ns);
    // KUBECONFIG (here the kubeconfig system property, which the client reads the same way), the
    // context's namespace by default, --context by name, -n explicitly.
    System.setProperty("kubeconfig", kc.toString());
    try {
      assertThat(kubectl("status", "shop").code()).isZero();
      assertThat(kubectl("status", "shop", "--context", "test", "-n", ns).code()).isZero();
      Run otherNs = kubectl("status", "shop", "-n", "default");
      assertThat(otherNs.code()).isEqualTo(5);
      assertThat(otherNs.err()).contains("in namespace default");
      Run badContext = kubectl("status", "shop", "--context", "prod");
      assertThat(badContext.code()).isEqualTo(4);
      assertThat(badContext.err()).contains("context \"prod\" does not exist");
    } finally {
      System.clearProperty("kubeconfig");
    }
    Run missing = kubectl("status", "nope", "--kubeconfig", kc.toString());
    assertThat(missing.code()).isEqualTo(4);
    assertThat(missing.err()).contains("DatabaseMigration \"nope\" not found in namespace " + ns);
  }

  @Test
  void kubectlFindsThePluginOnPathWhichFindsTheJarNextToIt(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "viewer", "dbguard-plugin-view");
    rolledBackShop(ns);
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Files.copy(repo("scripts/kubectl-dbguard"), bin.resolve("kubectl-dbguard"));
    Files.createSymbolicLink(bin.resolve("dbguard.jar"), builtJar());

    Process list =
        process(bin, kc, Map.of(), cluster.binaries().kubectl().toString(), "plugin", "list");
    assertThat(output(list)).contains(bin.resolve("kubectl-dbguard").toString());

    Process p =
        process(
            bin,
            kc,
            Map.of(),
            cluster.binaries().kubectl().toString(),
            "dbguard",
            "status",
            "shop",
            "-n",
            ns,
            "--context",
            "test");
    String out = output(p);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("DatabaseMigration " + ns + "/shop").contains("RolledBack");

    // Flags after the plugin's name reach it; its exit code and message come through kubectl.
    Process missing =
        process(
            bin,
            kc,
            Map.of(),
            cluster.binaries().kubectl().toString(),
            "dbguard",
            "status",
            "nope",
            "-o",
            "json");
    assertThat(output(missing)).contains("DatabaseMigration \"nope\" not found");
    assertThat(missing.exitValue()).isEqualTo(4);
  }

  @Test
  void theScriptLinkedFromPathFindsTheBuildsJarOrDbguardJar(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "viewer", "dbguard-plugin-view");
    backup(ns, "shop-b1", "shop", Map.of("state", "Ready", "verified", true));
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    // A link to the checkout's script: the jar is found next to the link's target
    // (../init-container/target/dbguard.jar), not next to the link.
    Files.createSymbolicLink(bin.resolve("kubectl-dbguard"), repo("scripts/kubectl-dbguard"));
    Process p = process(bin, kc, Map.of(), bin.resolve("kubectl-dbguard").toString(), "backups");
    String out = output(p);
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("shop-b1");

    Process viaEnv =
        process(
            bin,
            kc,
            Map.of("DBGUARD_JAR", builtJar().toString()),
            bin.resolve("kubectl-dbguard").toString(),
            "backups",
            "shop");
    assertThat(output(viaEnv)).contains("shop-b1");
    assertThat(viaEnv.exitValue()).isZero();

    Process noJar =
        process(
            bin,
            kc,
            Map.of("DBGUARD_JAR", tmp.resolve("nowhere.jar").toString()),
            bin.resolve("kubectl-dbguard").toString(),
            "backups");
    assertThat(output(noJar)).contains("dbguard.jar not found").contains("DBGUARD_JAR");
    assertThat(noJar.exitValue()).isEqualTo(4);
  }

  // --- helpers ---

  static Path repo(String path) {
    return TestCluster.repoRoot().resolve(path);
  }

  /** The shaded CLI jar the package phase built (failsafe runs after it). */
  static Path builtJar() {
    Path jar = repo("init-container/target/dbguard.jar");
    assertThat(jar).as("run after `mvn package`: the wrapper needs the jar").isRegularFile();
    return jar;
  }

  /**
   * Runs {@code command} with PATH = {@code bin} + the system's directories, {@code KUBECONFIG} =
   * {@code kc}, JAVA_HOME = this JVM's, plus {@code env}; stderr merged into stdout.
   */
  static Process process(Path bin, Path kc, Map<String, String> env, String... command)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().remove("DBGUARD_JAR");
    pb.environment().put("PATH", bin + ":/usr/local/bin:/usr/bin:/bin");
    pb.environment().put("KUBECONFIG", kc.toString());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().putAll(env);
    return pb.start();
  }

  static String output(Process p) throws Exception {
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    return out;
  }

  static Run kubectl(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of("kubectl"));
    all.addAll(List.of(args));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  /**
   * A kubeconfig file for ServiceAccount {@code sa}, bound to {@code role} of
   * examples/k8s/plugin-rbac.yaml (null: no Role).
   */
  Path user(String ns, String sa, String role) throws Exception {
    applyPluginRbac(client, ns);
    cluster.ensureServiceAccount(ns, sa);
    if (role != null) {
      client
          .rbac()
          .roleBindings()
          .inNamespace(ns)
          .resource(
              new RoleBindingBuilder()
                  .withNewMetadata()
                  .withName(sa + "-" + role)
                  .endMetadata()
                  .withNewRoleRef()
                  .withApiGroup("rbac.authorization.k8s.io")
                  .withKind("Role")
                  .withName(role)
                  .endRoleRef()
                  .addNewSubject()
                  .withKind("ServiceAccount")
                  .withName(sa)
                  .withNamespace(ns)
                  .endSubject()
                  .build())
          .create();
    }
    Path kc = tmp.resolve(sa + ".kubeconfig");
    Files.writeString(kc, cluster.kubeconfigFor(ns, sa));
    return kc;
  }

  /** The Roles of examples/k8s/plugin-rbac.yaml in {@code ns} (once). */
  static void applyPluginRbac(KubernetesClient client, String ns) throws Exception {
    if (client.rbac().roles().inNamespace(ns).withName("dbguard-plugin-view").get() != null) {
      return;
    }
    Path file = TestCluster.repoRoot().resolve("examples/k8s/plugin-rbac.yaml");
    try (FileInputStream in = new FileInputStream(file.toFile())) {
      for (HasMetadata o : client.load(in).items()) {
        o.getMetadata().setNamespace(ns);
        client.resource(o).create();
      }
    }
  }

  /** DatabaseMigration shop: attempt 2 (shop:v2) rolled back, attempt 1 (shop:v1) succeeded. */
  static void rolledBackShop(String ns) throws Exception {
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("dbguard.io/v1alpha1")
            .withKind("DatabaseMigration")
            .withNewMetadata()
            .withName("shop")
            .withNamespace(ns)
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of(
                        "database",
                        Map.of(
                            "name", "shop",
                            "engine", "PostgreSQL",
                            "urlSecretRef", Map.of("name", "shop-db")),
                        "migrate",
                        Map.of("image", "shop:v2", "command", List.of("true")),
                        "backup",
                        Map.of("storage", Map.of("claimName", "backups")))))
            .build();
    client.genericKubernetesResources(MIGRATIONS).inNamespace(ns).resource(r).create();
    setStatus(
        ns,
        "shop",
        JSON.readValue(
            """
            {"phase":"RolledBack","reason":"MigrationFailed",
             "message":"migrate exited 1; restored backup shop-b2",
             "image":"shop:v2","lastSucceededImage":"shop:v1","revision":"3f2a9c1d","attempt":2,
             "current":{"step":"Restore","job":"shop-restore-3f2a9c1d",
                        "startedAt":"2026-12-06T11:50:00Z"},
             "history":[
               {"attempt":1,"revision":"aaaa1111","image":"shop:v1","phase":"Succeeded",
                "reason":"Succeeded","startedAt":"2026-12-01T10:00:00Z",
                "finishedAt":"2026-12-01T10:03:00Z"},
               {"attempt":2,"revision":"3f2a9c1d","image":"shop:v2","phase":"RolledBack",
                "reason":"MigrationFailed","startedAt":"2026-12-06T11:45:00Z",
                "finishedAt":"2026-12-06T11:52:30Z"}]}
            """,
            Map.class));
  }

  static void setStatus(String ns, String name, Map<?, ?> status) {
    var res = client.genericKubernetesResources(MIGRATIONS).inNamespace(ns);
    GenericKubernetesResource cur = res.withName(name).get();
    cur.setAdditionalProperty("status", status);
    res.resource(cur).updateStatus();
  }

  /** A DatabaseBackup record as the operator writes it (spec, then status). */
  static void backup(String ns, String name, String migration, Map<String, Object> status) {
    var res = client.genericKubernetesResources(BACKUPS).inNamespace(ns);
    GenericKubernetesResource r =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("dbguard.io/v1alpha1")
            .withKind("DatabaseBackup")
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .endMetadata()
            .withAdditionalProperties(
                Map.of(
                    "spec",
                    Map.of(
                        "database",
                        migration,
                        "engine",
                        "PostgreSQL",
                        "method",
                        "Dump",
                        "migration",
                        migration,
                        "file",
                        name + ".dump",
                        "pinned",
                        false)))
            .build();
    GenericKubernetesResource created = res.resource(r).create();
    created.setAdditionalProperty("status", status);
    res.resource(created).updateStatus();
  }

  static void pinOnServer(String ns, String name) {
    client
        .genericKubernetesResources(BACKUPS)
        .inNamespace(ns)
        .withName(name)
        .edit(
            b -> {
              @SuppressWarnings("unchecked")
              Map<String, Object> spec =
                  (Map<String, Object>) b.getAdditionalProperties().get("spec");
              spec.put("pinned", true);
              return b;
            });
  }

  static boolean pinned(String ns, String name) {
    GenericKubernetesResource b =
        client.genericKubernetesResources(BACKUPS).inNamespace(ns).withName(name).get();
    return Boolean.TRUE.equals(((Map<?, ?>) b.getAdditionalProperties().get("spec")).get("pinned"));
  }

  static String annotation(String ns, String name, String key) {
    Map<String, String> a =
        client
            .genericKubernetesResources(MIGRATIONS)
            .inNamespace(ns)
            .withName(name)
            .get()
            .getMetadata()
            .getAnnotations();
    return a == null ? null : a.get(key);
  }

  static String retryAnnotation(String ns, String name) {
    return annotation(ns, name, "dbguard.io/retry");
  }

  static ResourceDefinitionContext ctx(String kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup("dbguard.io")
        .withVersion("v1alpha1")
        .withKind(kind)
        .withPlural(kind.toLowerCase(java.util.Locale.ROOT) + "s")
        .withNamespaced(true)
        .build();
  }
}
