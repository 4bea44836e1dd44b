package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Throw-away TLS key stores for tests, made with the JDK's {@code keytool} as {@code
 * init-container/dbguard-cds.sh} makes the training one: PKCS#12, password {@code training}, an RSA
 * 2048 self-signed certificate for IP 127.0.0.1, valid one day.
 */
final class TestKeyStores {
  private TestKeyStores() {}

  /**
   * Writes the key store {@code file} with one key under {@code alias} (also the certificate's CN).
   */
  static void make(Path file, String alias) throws IOException, InterruptedException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-keystore",
                file.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "training",
                "-alias",
                alias,
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "1",
                "-dname",
                "CN=" + alias,
                "-ext",
                "san=ip:127.0.0.1")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    assertThat(p.waitFor()).isZero();
  }
}
