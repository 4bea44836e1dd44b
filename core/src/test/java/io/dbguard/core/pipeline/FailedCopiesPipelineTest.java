package io.dbguard.core.pipeline;

import static io.dbguard.core.testing.SqliteFixtures.count;
import static io.dbguard.core.testing.SqliteFixtures.exec;
import static io.dbguard.core.testing.SqliteFixtures.shop;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.sqlite.SqliteEngine;
import io.dbguard.core.migrate.MigrationRunner;
import io.dbguard.core.migrate.SqlScriptRunner;
import io.dbguard.core.pipeline.PipelineResult.Outcome;
import io.dbguard.core.report.StepResult;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline prunes old failed copies after a verified restore, and only then; real files. */
class FailedCopiesPipelineTest {
  @TempDir Path tmp;
  Path data;
  Path db;
  Path backups;
  DatabaseTarget target;
  SqliteEngine engine;
  List<PipelineEvent> events = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    data = Files.createDirectory(tmp.resolve("data"));
    db = data.resolve("shop.db");
    backups = Files.createDirectory(tmp.resolve("backups"));
    shop(db, 10);
    target = DatabaseTarget.sqlite(db);
    engine = new SqliteEngine(target);
  }

  PipelineResult run(MigrationRunner migration, int keepFailedCopies) {
    return new MigrationPipeline(
            engine,
            target,
            new PipelineOptions()
                .backupDirectory(backups)
                .environment("test")
                .migration(migration)
                .keepFailedCopies(keepFailedCopies),
            events::add)
        .run();
  }

  /** A migration that loses rows: the data-loss check fails it and the pipeline restores. */
  MigrationRunner lossyMigration(String deleteWhere) throws Exception {
    Path sql = Files.writeString(tmp.resolve("lossy.sql"), "DELETE FROM orders " + deleteWhere);
    return new SqlScriptRunner(sql);
  }

  List<String> failedCopyFiles() throws Exception {
    try (var files = Files.list(data)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("shop.db.failed-"))
          .sorted()
          .toList();
    }
  }

  @Test
  void twoFailedRunsWithKeepOneLeaveExactlyTheNewestFailedCopy() throws Exception {
    PipelineResult first = run(lossyMigration("WHERE id > 4"), 1);

    assertThat(first.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(first.keptFailedAs()).isNotNull();
    assertThat(failedCopyFiles()).containsExactly(Path.of(first.keptFailedAs()).getFileName() + "");
    assertThat(first.failedCopies().kept()).containsExactly(first.keptFailedAs());
    assertThat(first.failedCopies().removed()).isEmpty();

    events.clear();
    PipelineResult second = run(lossyMigration("WHERE id > 7"), 1);

    assertThat(second.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(second.restoredFrom()).isTrue();
    assertThat(failedCopyFiles())
        .containsExactly(Path.of(second.keptFailedAs()).getFileName().toString());
    assertThat(Path.of(first.keptFailedAs())).doesNotExist();
    // the copy kept is the second run's failed state; the live database is restored
    assertThat(count(Path.of(second.keptFailedAs()), "orders")).isEqualTo(7);
    assertThat(count(db, "orders")).isEqualTo(10);
    assertThat(second.failedCopies().removed()).containsExactly(first.keptFailedAs());
    assertThat(second.failedCopies().kept()).containsExactly(second.keptFailedAs());
    assertThat(second.warnings()).isEmpty();

    List<String> restoreLines =
        events.stream()
            .filter(
                e -> e.step() == PipelineStep.RESTORE && e.kind() == PipelineEvent.Kind.SUCCEEDED)
            .map(PipelineEvent::message)
            .toList();
    assertThat(restoreLines)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("failed copies: kept 1 failed copy")
                    .contains("removed 1 older (" + first.keptFailedAs() + ")"));
    // the prune is reported after the restore was verified
    int verified = indexOf(PipelineStep.VERIFY_RESTORE, "");
    int pruned = indexOf(PipelineStep.RESTORE, "failed copies:");
    assertThat(verified).isNotNegative().isLessThan(pruned);

    String json = second.toStepResult().toTerminationMessage();
    StepResult r = StepResult.parse(json);
    assertThat(r.details())
        .containsEntry("failedCopiesRemoved", first.keptFailedAs())
        .containsEntry("failedCopiesKept", second.keptFailedAs())
        .containsEntry("keptFailedAs", second.keptFailedAs());
  }

  int indexOf(PipelineStep step, String prefix) {
    for (int i = 0; i < events.size(); i++) {
      PipelineEvent e = events.get(i);
      if (e.step() == step && e.message() != null && e.message().startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  @Test
  void aFailedRestoreKeepsEveryFailedCopy() throws Exception {
    List<String> old =
        List.of(
            "shop.db.failed-20240101T000000Z",
            "shop.db.failed-20240102T000000Z",
            "shop.db.failed-20240103T000000Z");
    for (String n : old) {
      Files.writeString(data.resolve(n), n);
    }
    // the migration damages the data and the backup it would be restored from
    MigrationRunner destructive =
        new MigrationRunner() {
          @Override
          public String describe() {
            return "delete rows and truncate the backup";
          }

          @Override
          public String run(DatabaseTarget t, Consumer<String> output) {
            try {
              exec(db, "DELETE FROM orders");
              try (var files = Files.list(backups)) {
                for (Path f : files.filter(f -> f.toString().endsWith(".sqlite3")).toList()) {
                  try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.setLength(raf.length() / 2);
                  }
                }
              }
            } catch (Exception e) {
              throw new IllegalStateException(e);
            }
            throw new DbguardException("MigrationFailed", "the migration failed");
          }
        };

    PipelineResult r = run(destructive, 1);

    assertThat(r.outcome()).isEqualTo(Outcome.RESTORE_FAILED);
    assertThat(r.failedCopies()).isNull();
    assertThat(failedCopyFiles()).containsExactlyElementsOf(old);
    assertThat(events).noneMatch(e -> e.message() != null && e.message().contains("failed copies"));
    assertThat(r.toStepResult().details()).doesNotContainKey("failedCopiesRemoved");
  }

  @Test
  void keepingFewerThanOneFailedCopyIsRefused() {
    assertThatThrownBy(() -> new PipelineOptions().keepFailedCopies(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
    assertThat(new PipelineOptions().keepFailedCopies()).isEqualTo(3);
  }
}
