package io.dbguard.core.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The termination message stays within the kubelet's 4096 bytes and keeps the deciding facts. */
class StepResultTest {

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
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
}
