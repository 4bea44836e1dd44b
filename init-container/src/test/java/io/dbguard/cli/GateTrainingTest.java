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
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-keystore",
                dir.resolve("training.p12").toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "training",
                "-alias",
                "training",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "1",
                "-dname",
                "CN=training",
                "-ext",
                "san=ip:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
    String before = System.getProperty("kubeconfig");

    assertThat(GateTraining.run(dir)).isZero();

    assertThat(Files.readString(dir.resolve("termination-log")))
        .contains("\"step\":\"gate\"", "\"exitCode\":0", "MigrationSucceeded");
    assertThat(Files.readString(dir.resolve("kubeconfig"))).contains("certificate-authority-data");
    assertThat(System.getProperty("kubeconfig")).isEqualTo(before);
  }
}
