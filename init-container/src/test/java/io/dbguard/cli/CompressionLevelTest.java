package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DatabaseTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --compression-level}: the user's choice reaches pg_dump (recorded in the manifest, seen in
 * the file size), and bad values or a SQLite target are usage errors (exit 4) before anything runs.
 */
class CompressionLevelTest {
  @TempDir Path tmp;

  @Test
  void levelZeroAndNineReachPgDumpAndAreRecorded() throws Exception {
    String serverUrl = System.getenv("DBGUARD_TEST_PG_URL");
    if (serverUrl == null) {
      fail("DBGUARD_TEST_PG_URL is not set: run the tests through scripts/test.sh");
    }
    DatabaseTarget server = DatabaseTarget.parse(serverUrl);
    String name = "dbguard_cli_z" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    try (Connection c = MigratePostgresTest.connect(server);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    DatabaseTarget db = server.withDatabase(name);
    try {
      try (Connection c = MigratePostgresTest.connect(db);
          Statement s = c.createStatement()) {
        s.execute(
            "CREATE TABLE notes AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) AS digest,"
                + " repeat('text ', 40) AS body FROM generate_series(1, 5000) g");
      }
      BackupManifest none = backup(db, "none", List.of("--compression-level", "0"));
      BackupManifest fast = backup(db, "fast", List.of());
      BackupManifest small = backup(db, "small", List.of("--compression-level", "9"));

      assertThat(none.compression()).isEqualTo("none");
      assertThat(fast.compression()).isEqualTo("gzip:1");
      assertThat(small.compression()).isEqualTo("gzip:9");
      assertThat(none.sizeBytes()).isGreaterThan(2 * fast.sizeBytes());
      assertThat(small.sizeBytes()).isLessThan(fast.sizeBytes());
      assertThat(none.profile()).isEqualTo(fast.profile()).isEqualTo(small.profile());
    } finally {
      try (Connection c = MigratePostgresTest.connect(server);
          Statement s = c.createStatement()) {
        s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      }
    }
  }

  private BackupManifest backup(DatabaseTarget db, String env, List<String> extra)
      throws Exception {
    Path dir = Files.createDirectories(tmp.resolve(env));
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "backup",
                "--database-url",
                db.secretUrl(),
                "--backup-dir",
                dir.toString(),
                "--environment",
                env));
    args.addAll(extra);
    CliRun r = CliRun.of(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.all()).isZero();
    try (var files = Files.list(dir)) {
      Path manifest =
          files.filter(p -> p.toString().endsWith(".manifest.json")).findFirst().orElseThrow();
      return ManifestStore.read(manifest);
    }
  }

  @Test
  void outOfRangeLevelIsAUsageErrorAndNothingIsWritten() throws Exception {
    Path db = tmp.resolve("app.db");
    Path dir = Files.createDirectories(tmp.resolve("backups"));
    CliRun r =
        CliRun.of(
            "backup",
            "--database-url",
            "postgresql://nobody@127.0.0.1:1/none",
            "--backup-dir",
            dir.toString(),
            "--compression-level",
            "12");
    assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
    assertThat(r.all()).contains("--compression-level must be 0..9, got 12");

    Files.createFile(db);
    CliRun sqlite =
        CliRun.of(
            "backup",
            "--database-url",
            "sqlite:" + db,
            "--backup-dir",
            dir.toString(),
            "--compression-level",
            "1");
    assertThat(sqlite.exitCode()).as(sqlite.all()).isEqualTo(4);
    assertThat(sqlite.all()).contains("PostgreSQL dumps only");
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }
}
