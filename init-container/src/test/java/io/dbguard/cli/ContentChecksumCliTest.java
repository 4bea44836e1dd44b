package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard backup --content-checksum} then {@code dbguard verify-data}: values overwritten in
 * place are a finding only against a backup taken with checksums; an acknowledgement accepts it.
 */
class ContentChecksumCliTest {
  @TempDir Path tmp;

  void sql(Path db, String... statements) throws Exception {
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + db);
        var s = c.createStatement()) {
      for (String st : statements) {
        s.execute(st);
      }
    }
  }

  CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void overwrittenValuesAreFoundAgainstABackupWithChecksumsOnly() throws Exception {
    Path db = tmp.resolve("shop.db");
    sql(
        db,
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)",
        "INSERT INTO customers (email) VALUES ('a@x.io'), ('b@x.io')");
    Path plain = Files.createDirectories(tmp.resolve("plain"));
    Path summed = Files.createDirectories(tmp.resolve("summed"));
    String url = "sqlite:" + db;
    CliRun b1 = run("backup", "--database-url", url, "--backup-dir", plain.toString());
    assertThat(b1.exitCode()).as(b1.all()).isZero();
    CliRun b2 =
        run(
            "backup",
            "--database-url",
            url,
            "--backup-dir",
            summed.toString(),
            "--content-checksum");
    assertThat(b2.exitCode()).as(b2.all()).isZero();
    try (var files = Files.list(summed)) {
      Path manifest =
          files.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow();
      assertThat(Files.readString(manifest)).contains("\"contentChecksums\"");
    }

    sql(db, "UPDATE customers SET email = upper(email)");

    CliRun counts = run("verify-data", "--database-url", url, "--backup-dir", plain.toString());
    assertThat(counts.exitCode()).as(counts.all()).isZero();
    CliRun values = run("verify-data", "--database-url", url, "--backup-dir", summed.toString());
    assertThat(values.exitCode()).as(values.all()).isEqualTo(22);
    assertThat(values.all()).contains("customers.email: values changed");
    CliRun acked =
        run(
            "verify-data",
            "--database-url",
            url,
            "--backup-dir",
            summed.toString(),
            "--acknowledge-data-loss",
            "customers.email");
    assertThat(acked.exitCode()).as(acked.all()).isZero();
  }
}
