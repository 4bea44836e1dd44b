package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 item 6: passwords that are hard to parse never appear on stdout, stderr, in the JSON
 * result or in the termination log, in text and JSON mode; and scrubbing does not mangle text. Each
 * URL points at a closed port, so the command fails after parsing (where it parses).
 */
class SecretsCliTest {
  @TempDir Path tmp;

  /** A URL and the fragments of its secret that must never be printed. */
  record Case(String url, List<String> forbidden) {}

  private static final List<Case> CASES =
      List.of(
          // unencoded / in a base64 password
          new Case("postgresql://app:abc/DEF+ghi==@127.0.0.1:1/shop", List.of("DEF+ghi", "abc/")),
          new Case("postgresql://app:Kq?Zw8tRvL@127.0.0.1:1/shop", List.of("Zw8tRvL", "Kq?")),
          new Case("postgresql://app:Kq#Zw8tRvL@127.0.0.1:1/shop", List.of("Zw8tRvL", "Kq#")),
          // unencoded @: the tail after the first @ must not leak either
          new Case("postgresql://app:Pa@Zw8tRvL@127.0.0.1:1/shop", List.of("Zw8tRvL", "Pa@")),
          // JDBC parameters
          new Case(
              "jdbc:postgresql://127.0.0.1:1/shop?user=app&sslpassword=KeyPassZw8tRvL",
              List.of("KeyPassZw8tRvL")),
          new Case(
              "jdbc:postgresql://127.0.0.1:1/shop?user=app&PASSWORD=UpperZw8tRvL",
              List.of("UpperZw8tRvL")),
          new Case(
              "jdbc:postgresql://127.0.0.1:1/shop?user=app&password=LowerZw8tRvL",
              List.of("LowerZw8tRvL")),
          // a DATABASE_URL that is only a password
          new Case("hunter2-Zw8tRvL/Q==", List.of("hunter2", "Zw8tRvL")),
          new Case("s3cr3t:Zw8tRvL", List.of("s3cr3t", "Zw8tRvL")),
          // a bad percent escape
          new Case("postgresql://app:ab%zzZw8tRvL@127.0.0.1:1/shop", List.of("Zw8tRvL", "ab%zz")));

  @Test
  void noSecretIsEchoedOnAnyOutput() throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    int i = 0;
    for (Case c : CASES) {
      for (String output : List.of("text", "json")) {
        Path log = tmp.resolve("termination-log-" + i++);
        CliRun r =
            CliRun.of(
                "backup",
                "--database-url",
                c.url(),
                "--backup-dir",
                backups.toString(),
                "--output",
                output,
                "--termination-log",
                log.toString());
        String all = r.out() + "\n" + r.err() + "\n" + Files.readString(log);
        assertThat(r.exitCode()).as(c.url() + " " + output + ": " + all).isIn(4, 5);
        for (String secret : c.forbidden()) {
          assertThat(all).as(c.url() + " (" + output + ")").doesNotContain(secret);
        }
      }
    }
  }

  @Test
  void aShortPasswordDoesNotMangleTheMessage() throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    Path log = tmp.resolve("termination-log");
    CliRun r =
        CliRun.of(
            "backup",
            "--database-url",
            "postgresql://app:p@127.0.0.1:1/shop",
            "--backup-dir",
            backups.toString(),
            "--output",
            "json",
            "--termination-log",
            log.toString());
    String all = r.out() + r.err() + Files.readString(log);
    assertThat(r.exitCode()).as(all).isEqualTo(5);
    assertThat(all).contains("postgresql://app:***@127.0.0.1:1/shop");
    assertThat(all).contains("port").doesNotContain("***ort").doesNotContain("***ostgres");
  }
}
