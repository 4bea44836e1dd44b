package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.testcluster.TestCluster;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code dbguard --version} prints the version of the build (the root pom's project version). */
class VersionTest {

  static String pomVersion() throws Exception {
    String pom = Files.readString(TestCluster.repoRoot().resolve("pom.xml"));
    // The project's own <version>, the first one after </parent> or <artifactId>dbguard-parent.
    Matcher m =
        Pattern.compile("<artifactId>dbguard-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).as("root pom has the project version").isTrue();
    return m.group(1);
  }

  @Test
  void versionIsTheBuildsVersion() throws Exception {
    for (String flag : new String[] {"--version", "-V"}) {
      CliRun run = CliRun.of(flag);
      assertThat(run.exitCode()).isZero();
      assertThat(run.out().strip()).isEqualTo("dbguard " + pomVersion());
    }
    // Every subcommand inherits it.
    assertThat(CliRun.of("backup", "--version").out().strip()).isEqualTo("dbguard " + pomVersion());
  }
}
