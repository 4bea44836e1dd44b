package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.testing.SqliteFixtures.connect;
import static io.dbguard.core.testing.SqliteFixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restore killed midway (the process gone with {@code SIGKILL} while the backup's pages are being
 * written into the live file) leaves the live database as it was before the restore: SQLite rolls
 * the hot journal back when the file is next opened. The restore runs in a child JVM ({@link
 * Child}) that stops itself inside the page copy, after its first step, so the kill lands in the
 * middle of the write transaction every time.
 */
class SqliteRestoreInterruptedTest {
  @TempDir Path tmp;

  @Test
  void aRestoreKilledMidwayLeavesTheLiveDatabaseAsItWas() throws Exception {
    Path db = tmp.resolve("app.db");
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      // 512-byte pages: 8 MiB per backup-API step, so ~30 MiB take several steps
      s.execute("PRAGMA page_size=512");
      s.execute("CREATE TABLE blobs (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
      s.execute(
          "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 60000)"
              + " INSERT INTO blobs SELECT x, hex(randomblob(200)) FROM n");
    }
    SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    // the failed state: every page differs from the backup's
    try (Connection c = connect(db);
        Statement s = c.createStatement()) {
      s.execute("DELETE FROM blobs WHERE id % 2 = 0");
      s.execute("UPDATE blobs SET body = hex(randomblob(210))");
    }
    DataProfile failedState = engine.profile();
    assertThat(failedState).isNotEqualTo(m.profile());

    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java.toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Child.class.getName(),
                    db.toString(),
                    ManifestStore.backupFile(backups, m).toString(),
                    ManifestStore.manifestPath(backups, m.name()).toString()))
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    boolean midway = false;
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (!midway && (line = r.readLine()) != null) {
        out.append(line).append('\n');
        midway = line.startsWith("MIDWAY");
      }
      child.destroyForcibly();
      child.waitFor();
    }
    assertThat(midway).as("child output: %s", out).isTrue();
    // the kill left a hot journal: the restore had written pages into the file
    assertThat(Path.of(db + "-journal")).exists();

    try (Connection c = connect(db);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("ok");
    }
    assertThat(engine.profile()).isEqualTo(failedState);
  }

  /**
   * Runs {@link SqliteEngine#restore} and, at the first progress report of the page copy that is
   * not its end, prints {@code MIDWAY} and waits to be killed.
   */
  public static final class Child {
    private Child() {}

    /** Args: database file, backup file, manifest file. */
    public static void main(String[] args) throws Exception {
      SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(Path.of(args[0])));
      BackupManifest m = ManifestStore.read(Path.of(args[2]));
      engine.restore(
          Path.of(args[1]),
          m,
          (phase, done, total) -> {
            if ("restore".equals(phase) && done > 0 && done < total) {
              System.out.println("MIDWAY " + done + " / " + total);
              System.out.flush();
              try {
                Thread.sleep(Long.MAX_VALUE);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            }
          });
      System.out.println("FINISHED");
    }
  }
}
