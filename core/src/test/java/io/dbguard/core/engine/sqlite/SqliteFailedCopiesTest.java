package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.testing.SqliteFixtures.count;
import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.request;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.FailedCopyPruning;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.engine.RestoreResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention of the {@code <db>.failed-<stamp>} files restores leave, on real files. */
class SqliteFailedCopiesTest {
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @TempDir Path tmp;
  Path db;
  SqliteEngine engine;

  @BeforeEach
  void setUp() throws Exception {
    db = tmp.resolve("app.db");
    shop(db, 5);
    engine = new SqliteEngine(DatabaseTarget.sqlite(db));
  }

  /** A file with recognisable content, so a survivor can be told from a re-created one. */
  Path file(String name) throws Exception {
    return Files.writeString(tmp.resolve(name), "content of " + name);
  }

  String path(String name) {
    return tmp.resolve(name).toString();
  }

  @Test
  void keepsTheNewestByStampAndCounterAndRemovesOlderCopiesWithTheirSidecars() throws Exception {
    file("app.db.failed-20240101T000000Z");
    file("app.db.failed-20240101T000000Z-wal");
    file("app.db.failed-20240101T000000Z-shm");
    file("app.db.failed-20240101T000000Z-journal");
    file("app.db.failed-20240103T000000Z");
    file("app.db.failed-20240103T000000Z-2");
    file("app.db.failed-20240102T235959Z");
    file("app.db.failed-20231231T000000Z-wal"); // the copy is gone, its WAL was left

    assertThat(engine.failedCopies())
        .containsExactly(
            path("app.db.failed-20240103T000000Z-2"),
            path("app.db.failed-20240103T000000Z"),
            path("app.db.failed-20240102T235959Z"),
            path("app.db.failed-20240101T000000Z"),
            path("app.db.failed-20231231T000000Z"));

    FailedCopyPruning p = engine.pruneFailedCopies(2);

    assertThat(p.kept())
        .containsExactly(
            path("app.db.failed-20240103T000000Z-2"), path("app.db.failed-20240103T000000Z"));
    assertThat(p.removed())
        .containsExactly(
            path("app.db.failed-20240102T235959Z"),
            path("app.db.failed-20240101T000000Z"),
            path("app.db.failed-20231231T000000Z"));
    assertThat(p.problems()).isEmpty();
    try (var files = Files.list(tmp)) {
      assertThat(files.map(f -> f.getFileName().toString()))
          .containsExactlyInAnyOrder(
              "app.db", "app.db.failed-20240103T000000Z", "app.db.failed-20240103T000000Z-2");
    }
    assertThat(count(db, "customers")).isEqualTo(5);

    // a second prune has nothing left to do
    FailedCopyPruning again = engine.pruneFailedCopies(2);
    assertThat(again.removed()).isEmpty();
    assertThat(again.kept()).hasSize(2);
  }

  @Test
  void lookAlikesThatDbguardDidNotMakeForThisDatabaseSurvive() throws Exception {
    List<Path> lookAlikes = new ArrayList<>();
    for (String name :
        List.of(
            "app.db.failed-notastamp",
            "app.db.failed-20240230T000000Z", // no 30 February
            "app.db.failed-20241301T000000Z", // no month 13
            "app.db.failed-20240101T000000",
            "app.db.failed-20240101T000000Z.bak",
            "app.db.failed-20240101T000000Z-1",
            "app.db.failed-20240101T000000Z-x",
            "app.db.failed-20240101T000000Z-wal.old",
            "app.db.failed-2024010T000000Z",
            "app.dbfailed-20240101T000000Z",
            "app.db.stale-20240101T000000Z",
            "other.db.failed-20240101T000000Z",
            "xapp.db.failed-20240101T000000Z",
            "app.db2.failed-20240101T000000Z",
            "app.db-wal")) {
      lookAlikes.add(file(name));
    }
    Path dir = Files.createDirectory(tmp.resolve("app.db.failed-20200101T000000Z"));
    Path linkTarget = file("precious.db");
    Path link = Files.createSymbolicLink(tmp.resolve("app.db.failed-20200102T000000Z"), linkTarget);
    Path sub = Files.createDirectory(tmp.resolve("sub"));
    Path nested = Files.writeString(sub.resolve("app.db.failed-20200103T000000Z"), "other db");
    file("app.db.failed-20100101T000000Z");
    file("app.db.failed-20100102T000000Z");

    assertThat(engine.failedCopies())
        .containsExactly(
            path("app.db.failed-20100102T000000Z"), path("app.db.failed-20100101T000000Z"));

    FailedCopyPruning p = engine.pruneFailedCopies(1);

    assertThat(p.removed()).containsExactly(path("app.db.failed-20100101T000000Z"));
    assertThat(p.kept()).containsExactly(path("app.db.failed-20100102T000000Z"));
    for (Path f : lookAlikes) {
      assertThat(f).as(f.getFileName().toString()).hasContent("content of " + f.getFileName());
    }
    assertThat(dir).isDirectory();
    assertThat(link).isSymbolicLink();
    assertThat(linkTarget).hasContent("content of precious.db");
    assertThat(nested).hasContent("other db");
    assertThat(db).exists();
  }

  @Test
  void keepBelowOneIsRefusedAndDeletesNothing() throws Exception {
    file("app.db.failed-20240101T000000Z");
    file("app.db.failed-20240102T000000Z");

    assertThatThrownBy(() -> engine.pruneFailedCopies(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThatThrownBy(() -> engine.pruneFailedCopies(-3))
        .isInstanceOf(IllegalArgumentException.class);

    assertThat(engine.failedCopies()).hasSize(2);
  }

  @Test
  void nothingToDoIsAnEmptyResult() {
    FailedCopyPruning p = engine.pruneFailedCopies(1);
    assertThat(p.removed()).isEmpty();
    assertThat(p.kept()).isEmpty();
    assertThat(p.problems()).isEmpty();
    assertThat(p.summary()).isNull();
    assertThat(p.details()).isEmpty();
  }

  @Test
  void aCopyThatCannotBeDeletedIsReportedWithItsSidecarsAndTheOthersStillGo() throws Exception {
    Path stuck = file("app.db.failed-20240101T000000Z");
    Path stuckWal = file("app.db.failed-20240101T000000Z-wal");
    file("app.db.failed-20240102T000000Z");
    file("app.db.failed-20240104T000000Z");
    // as root (tests often are) no permission bit stops a delete; the immutable attribute does
    assertThat(chattr("+i", stuck))
        .as(
            "chattr +i must work here (e2fsprogs, root or CAP_LINUX_IMMUTABLE, a file system with"
                + " attributes, as .ci/run has): this test fails rather than skips without it")
        .isTrue();
    FailedCopyPruning p;
    try {
      p = engine.pruneFailedCopies(1);
    } finally {
      chattr("-i", stuck);
    }

    assertThat(p.kept()).containsExactly(path("app.db.failed-20240104T000000Z"));
    assertThat(p.removed()).containsExactly(path("app.db.failed-20240102T000000Z"));
    assertThat(p.problems())
        .singleElement()
        .satisfies(
            s ->
                assertThat(s)
                    .startsWith(stuck + ": cannot delete " + stuck.getFileName())
                    .contains("not permitted"));
    assertThat(p.summary()).contains("could not remove 1");
    assertThat(tmp.resolve("app.db.failed-20240102T000000Z")).doesNotExist();
    // the copy could not go, so its WAL (which may hold its last pages) stays with it
    assertThat(stuck).exists();
    assertThat(stuckWal).exists();
  }

  static boolean chattr(String flag, Path file) throws Exception {
    Process p;
    try {
      p = new ProcessBuilder("chattr", flag, file.toString()).redirectErrorStream(true).start();
    } catch (java.io.IOException notInstalled) {
      return false;
    }
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0;
  }

  @Test
  void restoresInTheSameSecondEachKeepTheirOwnCopy() throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    Path backup = backups.resolve(m.file());
    // names for the coming seconds are taken: the restore must not fail on them or overwrite them
    Instant now = Instant.now();
    List<Path> taken = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      taken.add(file("app.db.failed-" + STAMP.format(now.plusSeconds(s))));
    }
    exec(db, "DELETE FROM orders");

    RestoreResult first = engine.restore(backup, m, ProgressListener.NONE);
    exec(db, "DELETE FROM customers WHERE id > 3");
    RestoreResult second = engine.restore(backup, m, ProgressListener.NONE);

    assertThat(first.keptFailedAs()).matches(".*/app\\.db\\.failed-\\d{8}T\\d{6}Z-2");
    assertThat(second.keptFailedAs())
        .matches(".*/app\\.db\\.failed-\\d{8}T\\d{6}Z-[23]")
        .isNotEqualTo(first.keptFailedAs());
    assertThat(count(Path.of(first.keptFailedAs()), "orders")).isZero();
    assertThat(count(Path.of(second.keptFailedAs()), "customers")).isEqualTo(3);
    assertThat(Files.getPosixFilePermissions(Path.of(second.keptFailedAs())))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    for (Path t : taken) {
      assertThat(t).hasContent("content of " + t.getFileName());
    }
    assertThat(engine.failedCopies()).contains(first.keptFailedAs(), second.keptFailedAs());
  }

  @Test
  void aLeftoverWalOfAnOldCopyNeverPairsWithANewCopy() throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
    // only the -wal of copies with the coming seconds' names is left (their files were deleted)
    Instant now = Instant.now();
    List<Path> leftovers = new ArrayList<>();
    for (int s = 0; s < 10; s++) {
      leftovers.add(file("app.db.failed-" + STAMP.format(now.plusSeconds(s)) + "-wal"));
    }
    exec(db, "DELETE FROM orders");

    RestoreResult r = engine.restore(backups.resolve(m.file()), m, ProgressListener.NONE);

    assertThat(r.keptFailedAs()).matches(".*/app\\.db\\.failed-\\d{8}T\\d{6}Z-2");
    assertThat(Path.of(r.keptFailedAs() + "-wal")).doesNotExist();
    assertThat(count(Path.of(r.keptFailedAs()), "orders")).isZero();
    for (Path t : leftovers) {
      assertThat(t).hasContent("content of " + t.getFileName());
    }
  }
}
