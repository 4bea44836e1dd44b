package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.TableProfile;
import io.dbguard.core.engine.postgres.PostgresOptions.RestoreStrategy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pure parts of the PostgreSQL engine: version arithmetic, options, SQL splitting, diffs. */
class PostgresPartsTest {

  @Test
  void majorVersionsCompareAcrossThe10Renumbering() {
    assertThat(PgTools.major("15.18")).isEqualTo(1500);
    assertThat(PgTools.major("9.6")).isEqualTo(906);
    assertThat(PgTools.major("10")).isEqualTo(1000);
    assertThat(PgTools.majorFromServerVersionNum(150018)).isEqualTo(1500);
    assertThat(PgTools.majorFromServerVersionNum(90624)).isEqualTo(906);
    assertThat(PgTools.major("9.6")).isLessThan(PgTools.majorFromServerVersionNum(150018));
    assertThat(PgTools.major("16.4")).isGreaterThan(PgTools.majorFromServerVersionNum(150018));
  }

  @Test
  void optionsDefaultsAndValidation() {
    PostgresOptions d = PostgresOptions.defaults();
    assertThat(d.compressionLevel()).isEqualTo(1);
    assertThat(d.compressionLabel()).isEqualTo("gzip:1");
    assertThat(d.withCompressionLevel(0).compressionLabel()).isEqualTo("none");
    assertThat(d.lockWaitTimeoutSeconds()).isEqualTo(30);
    assertThat(d.restoreStrategy()).isEqualTo(RestoreStrategy.AUTO);
    assertThat(d.maintenanceDatabase()).isEqualTo("postgres");
    assertThat(RestoreStrategy.parse("CleanInPlace")).isEqualTo(RestoreStrategy.CLEAN_IN_PLACE);
    assertThat(RestoreStrategy.parse("swap")).isEqualTo(RestoreStrategy.SWAP);
    assertThatThrownBy(() -> RestoreStrategy.parse("overlay"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withCompressionLevel(10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> d.withLockWaitTimeoutSeconds(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statementSplitterKeepsSemicolonsInsideQuotesAndDropsMetaCommands() {
    List<String> lines =
        List.of(
            "\\restrict abc",
            "SET statement_timeout = 0;",
            "COMMENT ON DATABASE \"a;b\" IS 'x; y",
            "z';",
            "\\connect x",
            "ALTER DATABASE a SET work_mem TO '8MB';");
    List<String> out = PgArchive.splitStatements(lines);
    assertThat(out).hasSize(3);
    assertThat(out.get(1).strip()).isEqualTo("COMMENT ON DATABASE \"a;b\" IS 'x; y\nz';");
    assertThat(out.get(2).strip()).isEqualTo("ALTER DATABASE a SET work_mem TO '8MB';");
  }

  @Test
  void profileDifferencesAreSpecific() {
    DataProfile a =
        new DataProfile(Map.of("public.t", new TableProfile(3, Map.of("x", 3L))), "f1", "1");
    DataProfile b =
        new DataProfile(
            Map.of(
                "public.t", new TableProfile(2, Map.of("x", 2L)),
                "public.new", new TableProfile(0, Map.of())),
            "f2",
            "2");
    assertThat(PgProfileDiff.differences(a, a)).isEmpty();
    assertThat(PgProfileDiff.differences(a, b))
        .containsExactly(
            "table public.t has 2 rows, expected 3",
            "table public.new should not exist",
            "schema fingerprint f2 expected f1",
            "migration history at 2 expected 1");
  }

  @Test
  void manualRestoreCommandHasNoPasswordAndSwapsAside() {
    DatabaseTarget t = DatabaseTarget.parse("postgresql://app:s3cr3t-pw@db.internal:5433/shop");
    String cmd =
        new PostgresEngine(t, PostgresOptions.defaults().withRestoreStrategy(RestoreStrategy.SWAP))
            .manualRestoreCommand(Path.of("/backups/shop_production_20261122_101500.dump"));
    assertThat(cmd)
        .doesNotContain("s3cr3t")
        .startsWith("createdb -h db.internal -p 5433 -U app -T template0 shop_restore")
        .contains(
            "--single-transaction --exit-on-error /backups/shop_production_20261122_101500.dump")
        .contains("'ALTER DATABASE \"shop\" RENAME TO \"shop_failed\"'");
  }

  @Test
  void nonPostgresTargetsAreRejected() {
    assertThatThrownBy(() -> new PostgresEngine(DatabaseTarget.sqlite(Path.of("/tmp/x.db")), null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
