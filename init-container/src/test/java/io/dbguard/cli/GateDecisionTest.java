package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.cli.GateCommand.Verdict.State;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GateDecisionTest {

  @ParameterizedTest(name = "{0} {1} last={2} → {4}")
  @CsvSource(
      nullValues = "-",
      value = {
        // phase, status.image, lastSucceededImage, gate image, verdict
        "-,          -,       -,       shop:v2, WAIT",
        "BackingUp,  shop:v2, shop:v1, shop:v2, WAIT",
        "Migrating,  shop:v2, -,       shop:v2, WAIT",
        "Succeeded,  shop:v2, shop:v2, shop:v2, OPEN",
        "RolledBack, shop:v2, shop:v1, shop:v2, CLOSED",
        "Blocked,    shop:v2, shop:v1, shop:v2, CLOSED",
        "Rejected,   shop:v2, -,       shop:v2, CLOSED",
        "Failed,     shop:v2, shop:v1, shop:v2, CLOSED",
        "RolledBack, shop:v2, shop:v1, shop:v1, OPEN",
        "Migrating,  shop:v3, shop:v2, shop:v2, OPEN",
        "RolledBack, shop:v3, shop:v1, shop:v2, WAIT",
        "Pending,    shop:v2, shop:v1, shop:v2, WAIT",
      })
  void decides(String phase, String image, String last, String gateImage, State expected) {
    Map<String, Object> status = null;
    if (phase != null) {
      status = new HashMap<>();
      status.put("phase", phase);
      status.put("image", image);
      status.put("lastSucceededImage", last);
      status.put("reason", "MigrationFailed");
      status.put("message", "restored");
    }
    assertThat(GateCommand.decide(status, gateImage).state()).isEqualTo(expected);
  }
}
