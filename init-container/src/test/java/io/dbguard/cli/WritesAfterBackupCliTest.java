package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard restore} on a real SQLite file that received writes after its backup: the result
 * lists them per table with the failed copy that keeps them and a command that gets them out;
 * {@code --on-discarded-writes Halt} refuses the restore (exit 23) and leaves every row in place; a
 * manifest without a write horizon says {@code unknown}, never {@code none}. Only the command line
 * and its JSON are used, so the test runs unchanged against a dbguard without the feature.
 */
class WritesAfterBackupCliTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;
  Path data;
  Path db;
  Path backups;
  Path termLog;
  String url;

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectory(tmp.resolve("data"));
    db = data.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    termLog = tmp.resolve("termination-log");
    url = "sqlite:" + db;
    exec(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, email TEXT NOT NULL)",
        "INSERT INTO customers(email) VALUES ('a@x.io'), ('b@x.io'), ('c@x.io')",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, total_cents INTEGER NOT NULL)",
        "INSERT INTO orders(total_cents) VALUES (100), (200)");
  }

  void exec(String... sql) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      for (String q : sql) {
        s.execute(q);
      }
    }
  }

  /** Every row of every table, in a stable order: the database "row for row". */
  List<String> rows() throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      for (String t : List.of("customers", "orders")) {
        try (ResultSet rs = s.executeQuery("SELECT * FROM " + t + " ORDER BY rowid")) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            StringBuilder b = new StringBuilder(t);
            for (int i = 1; i <= n; i++) {
              b.append('|').append(rs.getString(i));
            }
            out.add(b.toString());
          }
        }
      }
    }
    return out;
  }

  JsonNode termination() throws Exception {
    String json = Files.readString(termLog);
    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);
    return JSON.readTree(json);
  }

  Path backup() throws Exception {
    CliRun b =
        CliRun.of(
            "backup",
            "--database-url",
            url,
            "--backup-dir",
            backups.toString(),
            "--termination-log",
            termLog.toString());
    assertThat(b.exitCode()).as(b.all()).isZero();
    return Path.of(termination().path("details").path("manifest").asText());
  }

  CliRun restore(Path manifest, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "restore",
                "--database-url",
                url,
                "--manifest",
                manifest.toString(),
                "--termination-log",
                termLog.toString()));
    args.addAll(List.of(more));
    return CliRun.of(args.toArray(String[]::new));
  }

  /** The application after the backup: two new customers, one deleted, one order changed. */
  void applicationWrites() throws Exception {
    exec(
        "INSERT INTO customers(email) VALUES ('late1@x.io'), ('late2@x.io')",
        "DELETE FROM customers WHERE id = 2");
  }

  @Test
  void restoreListsTheWritesAfterTheBackupAndTheFailedCopyThatKeepsThem() throws Exception {
    Path manifest = backup();
    applicationWrites();

    CliRun r = restore(manifest);

    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode res = termination();
    assertThat(res.path("reason").asText()).isEqualTo("Restored");
    assertThat(res.path("details").path("writesAfterBackup").asText()).isEqualTo("found");
    assertThat(res.path("details").path("writesAfterBackupTables").asText()).isEqualTo("customers");
    String kept = res.path("details").path("keptFailedAs").asText();
    assertThat(kept).contains("shop.db.failed-");
    JsonNode w = res.path("writesAfterBackup");
    assertThat(w.path("status").asText()).isEqualTo("found");
    assertThat(w.path("failedCopy").asText()).isEqualTo(kept);
    assertThat(w.path("measuredOn").asText()).isEqualTo(kept);
    JsonNode customers = w.path("tables").get(0);
    assertThat(customers.path("table").asText()).isEqualTo("customers");
    assertThat(customers.path("rowsAtBackup").asLong()).isEqualTo(3);
    assertThat(customers.path("rowsNow").asLong()).isEqualTo(4);
    assertThat(customers.path("insertedAtLeast").asLong()).isEqualTo(2);
    assertThat(customers.path("deletedAtLeast").asLong()).isEqualTo(1);
    assertThat(w.path("tables")).hasSize(1); // orders had no writes
    assertThat(r.out()).contains("customers: at least 2 inserted", kept);
    assertThat(res.path("message").asText()).contains("WRITES AFTER THE BACKUP in customers", kept);

    // the printed command gets the writes out of the failed copy
    String extract = customers.path("extract").asText();
    assertThat(extract).startsWith("sqlite3 ").contains(kept);
    Process p = new ProcessBuilder("sh", "-c", extract).redirectErrorStream(true).start();
    String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(dump).isZero();
    assertThat(dump).contains("late1@x.io", "late2@x.io").doesNotContain("b@x.io");
    // and the live database is the backup again
    assertThat(rows())
        .containsExactly(
            "customers|1|a@x.io",
            "customers|2|b@x.io",
            "customers|3|c@x.io",
            "orders|1|100",
            "orders|2|200");
  }

  @Test
  void haltLeavesTheDatabaseUntouchedRowForRow() throws Exception {
    Path manifest = backup();
    applicationWrites();
    List<String> before = rows();

    CliRun r = restore(manifest, "--on-discarded-writes", "Halt");

    assertThat(r.exitCode()).as(r.all()).isEqualTo(23);
    JsonNode res = termination();
    assertThat(res.path("exitCode").asInt()).isEqualTo(23);
    assertThat(res.path("reason").asText()).isEqualTo("WritesAfterBackup");
    assertThat(res.path("message").asText())
        .contains(
            "customers", "was not touched", "--on-discarded-writes Restore", manifest.toString());
    assertThat(res.path("writesAfterBackup").path("status").asText()).isEqualTo("found");
    assertThat(rows()).isEqualTo(before);
    try (var files = Files.list(data)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .noneMatch(n -> n.startsWith("shop.db.failed-"));
    }
  }

  @Test
  void noWritesAfterTheBackupReportsNone() throws Exception {
    Path manifest = backup();

    CliRun r = restore(manifest, "--on-discarded-writes", "Halt");

    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode res = termination();
    assertThat(res.path("details").path("writesAfterBackup").asText()).isEqualTo("none");
    assertThat(res.path("writesAfterBackup").path("tables")).isEmpty();
    assertThat(res.path("message").asText()).contains("No writes after the backup were found");
  }

  @Test
  void aManifestWithoutAWriteHorizonSaysUnknownAndHaltHalts() throws Exception {
    Path manifest = backup();
    ObjectNode m = (ObjectNode) JSON.readTree(manifest.toFile());
    m.remove("writeHorizon"); // as written by an older dbguard
    Files.writeString(manifest, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(m));
    applicationWrites();
    List<String> before = rows();

    CliRun halted = restore(manifest, "--on-discarded-writes", "Halt");
    assertThat(halted.exitCode()).as(halted.all()).isEqualTo(23);
    assertThat(termination().path("writesAfterBackup").path("status").asText())
        .isEqualTo("unknown");
    assertThat(rows()).isEqualTo(before);

    CliRun r = restore(manifest);
    assertThat(r.exitCode()).as(r.all()).isZero();
    JsonNode res = termination();
    assertThat(res.path("details").path("writesAfterBackup").asText()).isEqualTo("unknown");
    assertThat(res.path("message").asText()).contains("UNKNOWN", "no write horizon");
  }

  @Test
  void anUnknownPolicyIsAUsageErrorBeforeAnythingHappens() throws Exception {
    Path manifest = backup();
    applicationWrites();
    List<String> before = rows();
    CliRun r = restore(manifest, "--on-discarded-writes", "Maybe");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.all()).contains("Restore or Halt");
    assertThat(rows()).isEqualTo(before);
  }

  @Test
  void aMissingDatabaseHasNothingToDiscardSoHaltStillRestores() throws Exception {
    Path manifest = backup();
    Files.delete(db);

    CliRun r = restore(manifest, "--on-discarded-writes", "Halt");

    assertThat(r.exitCode()).as(r.all()).isZero();
    assertThat(termination().path("details").path("writesAfterBackup").asText()).isEqualTo("none");
    assertThat(rows()).hasSize(5);
  }
}
