package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.request;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.backup.ManifestStore;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.migrate.CommandRunner;
import io.dbguard.core.pipeline.MigrationPipeline;
import io.dbguard.core.pipeline.PipelineOptions;
import io.dbguard.core.pipeline.PipelineResult;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.Reasons;
import io.dbguard.core.testing.TmpfsMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backups and restores that cannot fit are refused before anything is written, on real small tmpfs
 * file systems ({@link TmpfsMount}) and real SQLite files.
 */
class SqliteDiskSpaceTest {
  @TempDir Path tmp;

  /** A shop database plus {@code blobKib} KiB of incompressible rows. */
  private static void bigShop(Path db, int blobKib) throws Exception {
    shop(db, 300);
    exec(
        db,
        "CREATE TABLE blobs AS WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g"
            + " WHERE i < "
            + blobKib
            + ") SELECT i, randomblob(1000) AS b FROM g");
  }

  @Test
  void backupIntoADirectoryThatCannotHoldTheCopyIsRefusedBeforeWriting() throws Exception {
    Path db = tmp.resolve("app.db");
    bigShop(db, 1500);
    SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
    DataProfile before = engine.profile();
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    try (TmpfsMount small = TmpfsMount.mount(tmp, 512, false)) {
      assertThatThrownBy(
              () ->
                  engine.backup(
                      request(small.dir(), Instant.now()),
                      (phase, done, total) -> phases.add(phase)))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("needs")
          .hasMessageContaining("available")
          .hasMessageContaining("dbguard backups prune")
          .hasMessageContaining("nothing was written")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("InsufficientSpace");
      assertThat(phases).as("no page was copied").isEmpty();
      try (var files = Files.list(small.dir())) {
        assertThat(files).as("nothing written into the backup directory").isEmpty();
      }
    }
    assertThat(engine.profile()).isEqualTo(before);
    assertThat(Reasons.exitCode("InsufficientSpace")).isEqualTo(ExitCode.BACKUP_FAILED);
  }

  @Test
  void restoreOnAVolumeWithoutRoomForTheFailedCopyIsRefusedBeforeTouchingTheDatabase()
      throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    try (TmpfsMount vol = TmpfsMount.mount(tmp, 2560, false)) {
      Path db = vol.dir().resolve("app.db");
      bigShop(db, 1000);
      SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
      BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
      // the "migration": rows deleted, the file keeps its pages
      exec(db, "DELETE FROM blobs WHERE i > 500", "DELETE FROM customers WHERE id > 100");
      DataProfile failed = engine.profile();
      String sha = Sha256.ofFile(db, "t", ProgressListener.NONE);
      List<String> phases = Collections.synchronizedList(new ArrayList<>());
      List<String> before;
      try (var files = Files.list(vol.dir())) {
        before = files.map(p -> p.getFileName().toString()).sorted().toList();
      }

      assertThatThrownBy(
              () ->
                  engine.restore(
                      ManifestStore.backupFile(backups, m),
                      m,
                      (phase, done, total) -> phases.add(phase)))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("needs")
          .hasMessageContaining("available")
          .hasMessageContaining("failed cop")
          .hasMessageContaining("nothing was written")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("InsufficientSpace");

      assertThat(phases).as("the restore never started").doesNotContain("restore");
      assertThat(engine.failedCopies()).as("no failed copy was started").isEmpty();
      try (var files = Files.list(vol.dir())) {
        assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(before);
      }
      assertThat(Sha256.ofFile(db, "t", ProgressListener.NONE))
          .as("the database file is byte for byte as it was")
          .isEqualTo(sha);
      assertThat(engine.profile()).isEqualTo(failed);
    }
  }

  @Test
  void runWhoseRestoreCannotFitHaltsWithInsufficientSpaceAndLeavesTheFailedStateUntouched()
      throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    try (TmpfsMount vol = TmpfsMount.mount(tmp, 2560, false)) {
      Path db = vol.dir().resolve("app.db");
      bigShop(db, 1000);
      DatabaseTarget target = DatabaseTarget.sqlite(db);
      SqliteEngine engine = new SqliteEngine(target);
      PipelineResult r =
          new MigrationPipeline(
                  engine,
                  target,
                  new PipelineOptions()
                      .environment("test")
                      .backupDirectory(backups)
                      .migration(
                          new CommandRunner(
                              "sqlite3 "
                                  + db
                                  + " 'DELETE FROM blobs WHERE i > 500' && echo boom >&2 && exit 1",
                              null,
                              null,
                              null)),
                  e -> {})
              .run();
      assertThat(r.exitCode()).isEqualTo(ExitCode.RESTORE_FAILED);
      assertThat(r.reason()).isEqualTo("InsufficientSpace");
      assertThat(r.message()).contains("RESTORE FAILED").contains("nothing was written");
      assertThat(engine.failedCopies()).isEmpty();
      assertThat(io.dbguard.core.testing.SqliteFixtures.count(db, "blobs"))
          .as("the database is as the failed migration left it")
          .isEqualTo(500);
    }
  }

  @Test
  void restoreWithRoomForBothCopiesStillRuns() throws Exception {
    Path backups = Files.createDirectory(tmp.resolve("backups"));
    try (TmpfsMount vol = TmpfsMount.mount(tmp, 8192, false)) {
      Path db = vol.dir().resolve("app.db");
      bigShop(db, 1000);
      SqliteEngine engine = new SqliteEngine(DatabaseTarget.sqlite(db));
      BackupManifest m = engine.backup(request(backups, Instant.now()), ProgressListener.NONE);
      DataProfile original = engine.profile();
      exec(db, "DELETE FROM blobs WHERE i > 500");
      var r = engine.restore(ManifestStore.backupFile(backups, m), m, ProgressListener.NONE);
      assertThat(r.keptFailedAs()).isNotNull();
      assertThat(engine.profile()).isEqualTo(original);
    }
  }
}
