package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AppCDS training run (dbguard-cds.sh) is a whole gate over TLS: it must open, else the image
 * build falls back to the shorter training and the archive misses the TLS and JSON classes.
 */
class GateTrainingTest {
  @TempDir Path dir;

  @Test
  void aWholeGateOverTlsOpensAndWritesItsResult() throws Exception {
    // the key store as dbguard-cds.sh makes it
    TestKeyStores.make(dir.resolve("training.p12"), "training");
    String before = System.getProperty("kubeconfig");

    assertThat(GateTraining.run(dir)).isZero();

    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("\"step\":\"gate\"", "\"exitCode\":0", "MigrationSucceeded");
    assertThat(Files.readString(dir.resolve("kubeconfig"))).contains("certificate-authority-data");
    assertThat(System.getProperty("kubeconfig")).isEqualTo(before);
  }
}
