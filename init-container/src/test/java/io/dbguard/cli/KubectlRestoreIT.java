package io.dbguard.cli;

import static io.dbguard.cli.KubectlPluginIT.annotation;
import static io.dbguard.cli.KubectlPluginIT.backup;
import static io.dbguard.cli.KubectlPluginIT.kubectl;
import static io.dbguard.cli.KubectlPluginIT.rolledBackShop;
import static io.dbguard.cli.KubectlPluginIT.setStatus;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.dbguard.cli.KubectlPluginIT.Run;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kubectl dbguard restore BACKUP} against a real kube-apiserver, as ServiceAccounts bound to
 * the Roles of examples/k8s/plugin-rbac.yaml: it refuses without confirmation, explains what will
 * happen before asking, and sets {@code dbguard.io/restore=<backup>@<status.revision>} on the
 * backup's DatabaseMigration, nothing else. (That the operator carries the request out:
 * RestoreRequestIT in the operator module.)
 */
@WithTestCluster
class KubectlRestoreIT {
  static final String KEY = "dbguard.io/restore";

  static TestCluster cluster;
  static KubernetesClient client;

  @TempDir Path tmp;

  private final List<String> prompts = new ArrayList<>();

  @BeforeEach
  void share() {
    KubectlPluginIT.cluster = cluster;
    KubectlPluginIT.client = client;
  }

  @AfterEach
  void realTerminal() {
    KubectlRestoreCommand.hasTerminal = () -> System.console() != null;
    KubectlRestoreCommand.terminal =
        prompt -> System.console() == null ? null : System.console().readLine("%s", prompt);
  }

  private Path user(String ns, String sa, String role) throws Exception {
    KubectlPluginIT it = new KubectlPluginIT();
    it.tmp = tmp;
    return it.user(ns, sa, role);
  }

  /** A terminal on which the user types {@code answer}. */
  private void typing(String answer) {
    KubectlRestoreCommand.hasTerminal = () -> true;
    KubectlRestoreCommand.terminal =
        prompt -> {
          prompts.add(prompt);
          return answer;
        };
  }

  @Test
  void restoreAsksExplainsAndThenSetsTheRequestBoundToTheRevision(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "oncall", "dbguard-plugin-edit");
    rolledBackShop(ns);
    backup(ns, "shop-b2", "shop", Map.of("state", "Ready", "verified", true, "sizeBytes", 2048));

    // No terminal and no --yes: refused, nothing set.
    KubectlRestoreCommand.hasTerminal = () -> false;
    Run noTty = kubectl("restore", "shop-b2", "--kubeconfig", kc.toString());
    assertThat(noTty.code()).as(noTty.err()).isEqualTo(2);
    assertThat(noTty.err()).contains("no terminal to confirm on").contains("--yes");
    assertThat(annotation(ns, "shop", KEY)).isNull();

    // A terminal: what will happen is shown first; a wrong answer changes nothing.
    typing("shop-b1");
    Run wrong = kubectl("restore", "shop-b2", "--kubeconfig", kc.toString());
    assertThat(wrong.code()).isEqualTo(2);
    assertThat(wrong.err())
        .contains("Restore DatabaseBackup " + ns + "/shop-b2 into database shop")
        .contains("2.0 KiB")
        .contains("the live database is replaced by the backup")
        .contains("kept as a failed copy")
        .contains("phase RolledBack")
        .contains("the name typed was not shop-b2");
    assertThat(prompts).containsExactly("Type the backup's name to restore it: ");
    assertThat(annotation(ns, "shop", KEY)).isNull();

    typing("shop-b2");
    Run ok = kubectl("restore", "shop-b2", "--kubeconfig", kc.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(annotation(ns, "shop", KEY)).isEqualTo("shop-b2@3f2a9c1d");
    assertThat(ok.out()).contains("dbguard.io/restore=shop-b2@3f2a9c1d");

    // --yes asks nothing; -o json for scripts.
    KubectlRestoreCommand.hasTerminal = () -> false;
    JsonNode json =
        KubectlPluginIT.JSON.readTree(
            kubectl("restore", "shop-b2", "--yes", "-o", "json", "--kubeconfig", kc.toString())
                .out());
    assertThat(json.path("value").asText()).isEqualTo("shop-b2@3f2a9c1d");
    assertThat(json.path("name").asText()).isEqualTo("shop");
  }

  @Test
  void anUnverifiedBackupARunningMigrationAndAViewerAreRefused(@TestNamespace String ns)
      throws Exception {
    Path kc = user(ns, "oncall", "dbguard-plugin-edit");
    rolledBackShop(ns);
    backup(ns, "shop-bad", "shop", Map.of("state", "Ready", "verified", false));
    backup(ns, "shop-b2", "shop", Map.of("state", "Ready", "verified", true));

    Run unverified = kubectl("restore", "shop-bad", "--yes", "--kubeconfig", kc.toString());
    assertThat(unverified.code()).isEqualTo(2);
    assertThat(unverified.err()).contains("not a verified backup");

    setStatus(ns, "shop", Map.of("phase", "Migrating", "image", "shop:v2", "revision", "4b4b4b4b"));
    Run running = kubectl("restore", "shop-b2", "--yes", "--kubeconfig", kc.toString());
    assertThat(running.code()).isEqualTo(2);
    assertThat(running.err()).contains("is in phase Migrating");
    assertThat(annotation(ns, "shop", KEY)).isNull();

    setStatus(ns, "shop", Map.of("phase", "Succeeded", "image", "shop:v2", "revision", "4b4b4b4b"));
    Path viewer = user(ns, "viewer", "dbguard-plugin-view");
    Run forbidden = kubectl("restore", "shop-b2", "--yes", "--kubeconfig", viewer.toString());
    assertThat(forbidden.code()).isEqualTo(5);
    assertThat(forbidden.err())
        .contains("forbidden: you may not patch databasemigrations.dbguard.io in namespace " + ns);
    assertThat(annotation(ns, "shop", KEY)).isNull();
  }
}
