package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import io.dbguard.testcluster.ReadableClasspath;
import io.dbguard.testpg.ScratchPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dbguard restore|verify-data|verify --from-copy|--copy} on PostgreSQL: the operator's Jobs
 * for {@code backup.method: VolumeSnapshot} when the data directory is on the claim. A second,
 * throwaway cluster is initdb'd into a temporary directory (its data directory must be copied); the
 * "snapshot" is {@code cp -a} of that directory while the server runs, after a CHECKPOINT, as a
 * claim provisioned from a volume snapshot holds it. A private server is started on the copy.
 */
class PgSnapshotCopyCliTest {
  /** The uid {@code nobody}: owns nothing here. */
  private static final long NOBODY = 65534;

  @TempDir Path tmp;
  private ScratchPostgres pg;

  private static final String HASH =
      "SELECT md5(coalesce(string_agg(u::text, ',' ORDER BY id), '')) FROM users u";

  @BeforeEach
  void cluster() throws Exception {
    pg = ScratchPostgres.start(tmp.resolve("live"));
    pg.sql("postgres", "CREATE DATABASE app");
    pg.sql(
        "app",
        "CREATE TABLE users (id int PRIMARY KEY, email text);"
            + " INSERT INTO users SELECT i, 'u' || i || '@example.com' FROM generate_series(1, 500) i;"
            + " CREATE TABLE orders (id int PRIMARY KEY, user_id int, total int);"
            + " INSERT INTO orders SELECT i, i % 50 + 1, i * 10 FROM generate_series(1, 300) i;");
  }

  @AfterEach
  void stop() {
    if (pg != null) {
      pg.close();
    }
  }

  private CliRun run(String... args) {
    return CliRun.of(args);
  }

  @Test
  void restoreFromCopyBringsBackTheCopysContentAndKeepsTheFailedDatabase() throws Exception {
    String hash = pg.sql("app", HASH);
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    // after the snapshot: a migration that went wrong half-way
    pg.sql(
        "app",
        "DROP TABLE orders; UPDATE users SET email = NULL WHERE id < 10;"
            + " DELETE FROM users WHERE id > 400;");
    CliRun r = onCopy("restore", "--from-copy", copy);
    assertThat(r.exitCode()).as(r.all()).isZero();
    StepResult res = termination();
    assertThat(res.reason()).isEqualTo("Restored");
    assertThat(res.details()).containsEntry("rows", "800");
    assertThat(pg.sql("app", "SELECT count(*) FROM users")).isEqualTo("500");
    assertThat(pg.sql("app", "SELECT count(*) FROM orders")).isEqualTo("300");
    assertThat(pg.sql("app", HASH)).as("content hash of users").isEqualTo(hash);
    String kept = res.details().get("keptFailedAs");
    assertThat(kept).startsWith("app_failed_");
    assertThat(pg.sql(kept, "SELECT count(*) FROM users")).isEqualTo("400");
    assertThat(pg.sql(kept, "SELECT count(*) FROM pg_tables WHERE tablename = 'orders'"))
        .as("the failed state is kept as it was")
        .isEqualTo("0");
    assertThat(r.all()).doesNotContain(pg.url("app").split("@")[0].split(":")[2]);
    try (var files = Files.list(copy)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the dump taken from the copy is removed")
          .noneMatch(n -> n.startsWith("dbguard-restore-"));
    }
  }

  @Test
  void verifyDataAndVerifyAgainstACopyFindDifferencesAndPassWhenEqual() throws Exception {
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    CliRun same = onCopy("verify", "--copy", copy);
    assertThat(same.exitCode()).as(same.all()).isZero();
    assertThat(termination().details()).containsEntry("rows", "800");

    pg.sql("app", "DELETE FROM orders WHERE id > 100");
    CliRun lost = onCopy("verify-data", "--from-copy", copy);
    assertThat(lost.exitCode()).as(lost.all()).isEqualTo(22);
    StepResult res = termination();
    assertThat(res.reason()).isEqualTo("DataLossDetected");
    assertThat(res.details().get("lost")).contains("orders");

    CliRun differs = onCopy("verify", "--copy", copy);
    assertThat(differs.exitCode()).as(differs.all()).isEqualTo(11);
    assertThat(termination().message()).contains("table public.orders has 300 rows, expected 100");
  }

  @Test
  void aCopyWithItsWalOnAnotherVolumeIsRefusedAndTheDatabaseUntouched() throws Exception {
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    Path wal = tmp.resolve("elsewhere-wal");
    Files.move(copy.resolve("pg_wal"), wal);
    Files.createSymbolicLink(copy.resolve("pg_wal"), wal);
    pg.sql("app", "DELETE FROM orders");
    CliRun r = onCopy("restore", "--from-copy", copy);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
    StepResult res = termination();
    assertThat(res.reason()).isEqualTo("SnapshotUnusable");
    assertThat(res.message()).contains("pg_wal").contains("symbolic link");
    assertThat(pg.sql("app", "SELECT count(*) FROM orders")).isEqualTo("0");
    assertThat(pg.sql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'app_%'"))
        .isEqualTo("0");
  }

  @Test
  void aCopyWithTablespacesIsRefusedAndTheDatabaseUntouched() throws Exception {
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    // what CREATE TABLESPACE leaves in the data directory: pg_tblspc/<oid> -> the tablespace's
    // directory on another volume, which a snapshot of this claim does not hold
    Path elsewhere = Files.createDirectories(tmp.resolve("other-volume/ts"));
    Files.createSymbolicLink(copy.resolve("pg_tblspc/16390"), elsewhere);
    Map<String, String> before = tree(copy);
    CliRun r = restoreFromCopyAfterALoss(copy);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
    StepResult res = termination();
    assertThat(res.reason()).isEqualTo("SnapshotUnusable");
    assertThat(res.message())
        .contains("has tablespaces in pg_tblspc (16390)")
        .contains("use backup.method Dump");
    assertNothingRestoredOrTouched(copy, before);
  }

  @Test
  void aStandbysCopyIsRefusedAndTheDatabaseUntouched() throws Exception {
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    Files.writeString(copy.resolve("standby.signal"), "");
    Map<String, String> before = tree(copy);
    CliRun r = restoreFromCopyAfterALoss(copy);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
    StepResult res = termination();
    assertThat(res.reason()).isEqualTo("SnapshotUnusable");
    assertThat(res.message())
        .contains("is a standby's data directory (standby.signal)")
        .contains("snapshot the primary's claim");
    assertNothingRestoredOrTouched(copy, before);
  }

  @Test
  void aJobRunningAsAnotherUidThanTheCopysOwnerIsRefusedByUidWithoutRootAndNothingTouched()
      throws Exception {
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    Map<String, String> before = tree(copy);
    pg.sql("app", "DELETE FROM orders");
    Path out = Files.createDirectories(tmp.resolve("out"));
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    // what a Job with the wrong database.volume.runAsUser is: a process of another uid, no root
    List<String> cmd =
        List.of(
            "setpriv",
            "--reuid=" + NOBODY,
            "--regid=" + NOBODY,
            "--clear-groups",
            "--",
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            ReadableClasspath.mirror(tmp.resolve("classpath")),
            Main.class.getName(),
            "restore",
            "--database-url",
            pg.url("app"),
            "--from-copy",
            copy.toString(),
            "--termination-log",
            out.resolve("term").toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(output).isEqualTo(11);
    StepResult res = StepResult.parse(Files.readString(out.resolve("term")));
    long owner = ScratchPostgres.osUserId();
    assertThat(res.reason()).isEqualTo("SnapshotUnusable");
    assertThat(res.message())
        .contains("is owned by uid " + owner + " but this process runs as uid " + NOBODY)
        .contains("run the Job as uid " + owner);
    assertNothingRestoredOrTouched(copy, before);
  }

  /**
   * {@code dbguard <command> --database-url <app> <copyFlag> <copy> --termination-log <tmp>/term},
   * in-process (as root: the server on the copy starts as its owner through setpriv).
   */
  private CliRun onCopy(String command, String copyFlag, Path copy) {
    return run(
        command,
        "--database-url",
        pg.url("app"),
        copyFlag,
        copy.toString(),
        "--termination-log",
        tmp.resolve("term").toString());
  }

  /** The step result the last {@link #onCopy} wrote. */
  private StepResult termination() throws IOException {
    return StepResult.parse(Files.readString(tmp.resolve("term")));
  }

  /** Deletes all orders (the "failed migration"), then restores from {@code copy}. */
  private CliRun restoreFromCopyAfterALoss(Path copy) {
    pg.sql("app", "DELETE FROM orders");
    return onCopy("restore", "--from-copy", copy);
  }

  /**
   * The live database is as the failed migration left it (no restore, no kept copy) and the copy is
   * exactly as before (every file's size and modification time; a server start would have removed
   * the {@code postmaster.pid} the snapshot holds and replayed WAL).
   */
  private void assertNothingRestoredOrTouched(Path copy, Map<String, String> before)
      throws Exception {
    assertThat(pg.sql("app", "SELECT count(*) FROM orders")).isEqualTo("0");
    assertThat(pg.sql("app", "SELECT count(*) FROM users")).isEqualTo("500");
    assertThat(pg.sql("postgres", "SELECT count(*) FROM pg_database WHERE datname LIKE 'app_%'"))
        .isEqualTo("0");
    assertThat(copy.resolve("postmaster.pid")).exists();
    assertThat(tree(copy)).as("the copy is untouched").isEqualTo(before);
  }

  /** Relative path → "size mtime" of every entry under {@code dir} (links not followed). */
  private static Map<String, String> tree(Path dir) throws IOException {
    Map<String, String> t = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        BasicFileAttributes a =
            Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        t.put(dir.relativize(p).toString(), a.size() + " " + a.lastModifiedTime());
      }
    }
    return t;
  }

  @Test
  void aCopyOfAnotherMajorVersionOrNoDataDirectoryIsRefused() throws Exception {
    Path copy = pg.copyDataDirectory(tmp.resolve("copy"));
    Files.writeString(copy.resolve("PG_VERSION"), "9.6\n");
    CliRun r = onCopy("verify-data", "--from-copy", copy);
    assertThat(r.exitCode()).as(r.all()).isEqualTo(11);
    assertThat(termination().message()).contains("PostgreSQL 9.6 data directory");
    CliRun none = onCopy("verify-data", "--from-copy", tmp);
    assertThat(none.exitCode()).as(none.all()).isEqualTo(11);
    assertThat(termination().message()).contains("no PG_VERSION");
  }
}
