package io.dbguard.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The termination message stays within the kubelet's 4096 bytes and keeps the deciding facts. */
class StepResultTest {

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * Results with only step, exit code, reason and message (the rollout gate's), with characters
   * that need escapes, non-ASCII text, lone surrogates, nulls and very long messages.
   */
  static List<StepResult> simpleResults() {
    StringBuilder controls = new StringBuilder();
    for (char c = 0; c < 0x20; c++) {
      controls.append(c);
    }
    List<String> texts =
        Arrays.asList(
            null,
            "",
            "ok",
            "gate",
            "MigrationSucceeded",
            "migration for image shop:2 is RolledBack: \"backfill\" failed",
            "path C:\\temp\\x and a / slash </script>",
            controls.toString(),
            "line\nbreak\r\ttab\b\f\u007f\u0085\u2028\u2029",
            "é, ß, 中文, emoji \uD83D\uDE00, lone \uD800 and \uDFFF",
            "\u0000",
            "é".repeat(5000),
            "x".repeat(4100));
    List<StepResult> out = new ArrayList<>();
    int[] codes = {0, 3, 4, 5, 50, 51, -1, Integer.MAX_VALUE, Integer.MIN_VALUE};
    int i = 0;
    for (String step : texts) {
      for (String reason : texts) {
        for (String message : texts) {
          out.add(new StepResult(step, codes[i++ % codes.length], reason, message, null, null));
        }
      }
    }
    return out;
  }

  @Test
  void aResultWithoutBackupDetailsOrWritesIsWrittenAsTheMapperWritesIt() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    List<StepResult> all = simpleResults();
    assertThat(all).hasSizeGreaterThan(2000);

    for (StepResult r : all) {
      String expected = mapper.writeValueAsString(r);

      assertThat(StepResult.toJson(r)).as(expected).isEqualTo(expected);
      if (bytes(expected) <= StepResult.MAX_TERMINATION_MESSAGE_BYTES) {
        assertThat(r.toTerminationMessage()).isEqualTo(expected);
      }
    }
  }

  @Test
  void aLongSimpleResultIsCutAsBefore() throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    String message = "m\"".repeat(3000);
    StepResult r = new StepResult("gate", 50, "RolledBack", message, null, null);

    String json = r.toTerminationMessage();

    assertThat(json)
        .isEqualTo(
            mapper.writeValueAsString(
                new StepResult(
                    "gate", 50, "RolledBack", message.substring(0, 1000) + "…", null, null)));
    assertThat(StepResult.parse(json).message()).hasSize(1001);
  }

  @Test
  void aSmallResultRoundTripsUnchanged() {
    StepResult r =
        new StepResult(
            "backup",
            0,
            "BackupVerified",
            "ok",
            new StepResult.BackupRef("b", "/backups/b.dump", 10, "ab", "2026-11-22T00:00:00Z"),
            Map.of("manifest", "/backups/b.manifest.json"));

    assertThat(StepResult.parse(r.toTerminationMessage())).isEqualTo(r);
  }

  @Test
  void theLargestDetailsAreDroppedFirstAndSmallFactsSurvive() {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("outcome", "ROLLED_BACK");
    d.put("failedStep", "VERIFY_DATA");
    d.put("warnings", "w".repeat(3000));
    d.put("lost", "l".repeat(2000));
    StepResult r = new StepResult("run", 20, "DataLossDetected", "restored", null, d);

    String json = r.toTerminationMessage();

    assertThat(bytes(json)).isLessThanOrEqualTo(StepResult.MAX_TERMINATION_MESSAGE_BYTES);
    StepResult back = StepResult.parse(json);
    assertThat(back.details())
        .containsEntry("outcome", "ROLLED_BACK")
        .containsEntry("failedStep", "VERIFY_DATA")
        .containsEntry("lost", "l".repeat(2000))
        .containsEntry("truncated", "warnings")
        .doesNotContainKey("warnings");
    assertThat(back.exitCode()).isEqualTo(20);
  }

  @Test
  void aHugeMessageIsShortenedAfterTheDetails() {
    StepResult r =
        new StepResult("migrate", 21, "MigrationFailed", "é".repeat(5000), null, Map.of("a", "b"));

    String json = r.toTerminationMessage();

    assertThat(bytes(json)).isLessThanOrEqualTo(StepResult.MAX_TERMINATION_MESSAGE_BYTES);
    StepResult back = StepResult.parse(json);
    assertThat(back.message()).endsWith("…");
    assertThat(back.reason()).isEqualTo("MigrationFailed");
  }

  static io.dbguard.core.engine.WritesAfterBackup.TableWrites orders(String name, long inserted) {
    return new io.dbguard.core.engine.WritesAfterBackup.TableWrites(
        name,
        null,
        null,
        3L,
        3L + inserted,
        inserted,
        null,
        0L,
        0L,
        "pg_dump -h db -p 5432 -d shop_failed_20261206_021500 --data-only --column-inserts -t "
            + name);
  }

  @Test
  void writesAfterBackupRoundTripsAndMapsToExit23() {
    var w =
        io.dbguard.core.engine.WritesAfterBackup.of(
                "shop", java.util.List.of(orders("public.orders", 2)), "note")
            .keptIn("shop_failed_20261206_021500", null);
    StepResult r =
        new StepResult("restore", 23, "WritesAfterBackup", "not restored", null, null, w);

    StepResult back = StepResult.parse(r.toTerminationMessage());
    assertThat(back).isEqualTo(r);
    assertThat(back.writesAfterBackup().found()).isTrue();
    assertThat(r.toTerminationMessage()).contains("\"status\":\"found\"");
    assertThat(Reasons.exitCode("WritesAfterBackup")).isEqualTo(ExitCode.WRITES_AFTER_BACKUP);
    assertThat(ExitCode.of(23)).isEqualTo(ExitCode.WRITES_AFTER_BACKUP);
  }

  @Test
  void manyTablesOfWritesAreCutBeforeTheDetailsTheOperatorDecidesOn() {
    java.util.List<io.dbguard.core.engine.WritesAfterBackup.TableWrites> tables =
        new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      tables.add(orders("public.table_" + i, 1));
    }
    var w = io.dbguard.core.engine.WritesAfterBackup.of("shop", tables, null);
    StepResult r =
        new StepResult(
            "restore",
            0,
            "Restored",
            "restored",
            null,
            Map.of("keptFailedAs", "shop_failed_20261206_021500", "writesAfterBackup", "found"),
            w);

    String json = r.toTerminationMessage();

    assertThat(bytes(json)).isLessThanOrEqualTo(StepResult.MAX_TERMINATION_MESSAGE_BYTES);
    StepResult back = StepResult.parse(json);
    assertThat(back.details())
        .containsEntry("keptFailedAs", "shop_failed_20261206_021500")
        .containsEntry("writesAfterBackup", "found")
        .doesNotContainKey("truncated");
    assertThat(back.writesAfterBackup().status())
        .isEqualTo(io.dbguard.core.engine.WritesAfterBackup.Status.FOUND);
    assertThat(back.writesAfterBackup().tables()).isNotEmpty().hasSizeLessThan(200);
    assertThat(back.writesAfterBackup().note()).contains("more table(s) not listed here");
  }
}
