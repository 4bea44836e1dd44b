package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.backup.BackupRequest;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.testing.TmpfsMount;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL backup into a directory with less free space than {@code pg_database_size()} is
 * refused before pg_dump starts, on a real small tmpfs and the real test server.
 */
class PostgresDiskSpaceTest {
  PgTestServer pg;
  @TempDir Path dir;

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  @Test
  void backupIntoADirectorySmallerThanTheDatabaseIsRefusedBeforePgDumpStarts() throws Exception {
    String db = pg.createDatabase("diskspace");
    pg.sql(db, PostgresEngineTest.SCHEMA);
    PostgresEngine engine =
        new PostgresEngine(
            pg.target(db), PostgresOptions.defaults().withToolDirectory(pg.toolDir()));
    DataProfile before = engine.profile();
    long dbSize = Long.parseLong(pg.scalar(db, "SELECT pg_database_size(current_database())"));
    List<String> phases = Collections.synchronizedList(new ArrayList<>());
    boolean[] snapshotExported = {false};
    engine.afterSnapshotExport = () -> snapshotExported[0] = true;
    // 1 MiB: far less than any PostgreSQL database (the catalog alone is several MB)
    try (TmpfsMount small = TmpfsMount.mount(dir, 1024, false)) {
      assertThat(dbSize).isGreaterThan(1024L * 1024);
      BackupRequest req = new BackupRequest(small.dir(), db, "test", Instant.now(), null, 0);
      assertThatThrownBy(() -> engine.backup(req, (phase, done, total) -> phases.add(phase)))
          .isInstanceOf(DbguardException.class)
          .hasMessageContaining("pg_database_size")
          .hasMessageContaining("needs")
          .hasMessageContaining("available")
          .hasMessageContaining("dbguard backups prune")
          .extracting(e -> ((DbguardException) e).reason())
          .isEqualTo("InsufficientSpace");
      assertThat(snapshotExported[0]).as("refused before the snapshot and pg_dump").isFalse();
      assertThat(phases).isEmpty();
      try (var files = Files.list(small.dir())) {
        assertThat(files).as("nothing written into the backup directory").isEmpty();
      }
    }
    assertThat(engine.profile()).isEqualTo(before);
  }
}
