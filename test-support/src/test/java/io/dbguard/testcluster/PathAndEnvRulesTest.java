package io.dbguard.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local node's pure rules: path rewriting, $(VAR) expansion, image globs. */
class PathAndEnvRulesTest {
  static final List<Map.Entry<String, String>> MOUNTS =
      List.of(
          Map.entry("/var/lib/data", "/h/data"),
          Map.entry("/dev/termination-log", "/h/tm"),
          Map.entry("/backups", "/h/b"));

  @Test
  void rewritesMountPathsAtTokenBoundaries() {
    assertThat(ContainerPaths.rewrite("/backups", MOUNTS)).isEqualTo("/h/b");
    assertThat(ContainerPaths.rewrite("/backups/x.dump", MOUNTS)).isEqualTo("/h/b/x.dump");
    assertThat(ContainerPaths.rewrite("--file=/backups/x", MOUNTS)).isEqualTo("--file=/h/b/x");
    assertThat(
            ContainerPaths.rewrite(
                "echo hi > /dev/termination-log; cp /backups/a '/backups/b'", MOUNTS))
        .isEqualTo("echo hi > /h/tm; cp /h/b/a '/h/b/b'");
    assertThat(ContainerPaths.rewrite("ls >/backups/out 2>&1; echo $? >/backups/rc", MOUNTS))
        .isEqualTo("ls >/h/b/out 2>&1; echo $? >/h/b/rc");
    assertThat(ContainerPaths.rewrite("sort </backups/in|tee /backups/x;/backups/run", MOUNTS))
        .isEqualTo("sort </h/b/in|tee /h/b/x;/h/b/run");
    assertThat(ContainerPaths.rewrite("sqlite:/var/lib/data/app.db", MOUNTS))
        .isEqualTo("sqlite:/h/data/app.db");
    assertThat(ContainerPaths.rewrite("sqlite:///var/lib/data/app.db", MOUNTS))
        .isEqualTo("sqlite:///h/data/app.db");
    assertThat(ContainerPaths.rewrite("file:///backups/x", MOUNTS)).isEqualTo("file:///h/b/x");
  }

  @Test
  void aHostPathUnderAMountedContainerPathIsNotRewrittenTwice() {
    // a Job mounts an emptyDir at /tmp while the run directory itself lives under /tmp
    List<Map.Entry<String, String>> mounts =
        List.of(
            Map.entry("/var/lib/dbguard/backups", "/tmp/run/volumes/backups"),
            Map.entry("/tmp", "/tmp/run/pods/p/tmp"));

    assertThat(ContainerPaths.rewrite("--backup-dir /var/lib/dbguard/backups", mounts))
        .isEqualTo("--backup-dir /tmp/run/volumes/backups");
    assertThat(ContainerPaths.rewrite("/tmp/x /var/lib/dbguard/backups/y", mounts))
        .isEqualTo("/tmp/run/pods/p/tmp/x /tmp/run/volumes/backups/y");
  }

  @Test
  void leavesLookalikesAlone() {
    assertThat(ContainerPaths.rewrite("/backupsX", MOUNTS)).isEqualTo("/backupsX");
    assertThat(ContainerPaths.rewrite("/srv/backups/x", MOUNTS)).isEqualTo("/srv/backups/x");
    assertThat(ContainerPaths.rewrite("https://host/backups/x", MOUNTS))
        .isEqualTo("https://host/backups/x");
    assertThat(ContainerPaths.rewrite("", MOUNTS)).isEmpty();
  }

  @Test
  void expandsDefinedVariablesOnly() {
    Map<String, String> scope = Map.of("USER", "app", "PW", "s3");
    assertThat(ContainerPaths.expand("postgres://$(USER):$(PW)@db", scope))
        .isEqualTo("postgres://app:s3@db");
    assertThat(ContainerPaths.expand("$(MISSING)/x", scope)).isEqualTo("$(MISSING)/x");
    assertThat(ContainerPaths.expand("$$(USER) costs $5", scope)).isEqualTo("$(USER) costs $5");
  }

  @Test
  void imageGlobs() {
    assertThat(LocalNode.globToRegex("dbguard/dbguard*").matcher("dbguard/dbguard:0.1.0").matches())
        .isTrue();
    assertThat(LocalNode.globToRegex("dbguard/dbguard*").matcher("other/dbguard:1").matches())
        .isFalse();
    assertThat(LocalNode.globToRegex("postgres").matcher("postgres:16").matches()).isTrue();
    assertThat(LocalNode.globToRegex("postgres").matcher("postgres@sha256:ab").matches()).isTrue();
    assertThat(LocalNode.globToRegex("postgres").matcher("postgresql:16").matches()).isFalse();
    assertThat(LocalNode.globToRegex("app:1.?").matcher("app:1.2").matches()).isTrue();
    assertThat(LocalNode.globToRegex("app:1.?").matcher("app:1.23").matches()).isFalse();
  }

  @Test
  void volumeEnvNames() {
    assertThat(ContainerPaths.envName("backup-storage")).isEqualTo("BACKUP_STORAGE");
    assertThat(ContainerPaths.envName("data.v1")).isEqualTo("DATA_V1");
  }

  @Test
  void javaMainUsesThisJvmAndClasspath() {
    ImageMapping m = ImageMapping.javaMain("io.dbguard.cli.Main");
    assertThat(m.entrypoint().get(0)).endsWith("/bin/java");
    assertThat(m.entrypoint()).contains(System.getProperty("java.class.path"));
    assertThat(m.entrypoint().get(m.entrypoint().size() - 1)).isEqualTo("io.dbguard.cli.Main");
  }
}
