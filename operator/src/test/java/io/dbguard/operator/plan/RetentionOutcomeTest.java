package io.dbguard.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.report.StepResult;
import io.dbguard.operator.model.BackupState;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The prune Job's result → each planned record's new state. */
class RetentionOutcomeTest {

  static RetentionStatus plan() {
    RetentionStatus r = new RetentionStatus();
    r.setJob("shop-prune-abcd1234");
    r.setPrune(
        List.of(
            new RetentionItem("old-1", "shop_1.sqlite3"),
            new RetentionItem("old-2", "shop_2.sqlite3"),
            new RetentionItem("old-3", "shop_3.sqlite3")));
    r.setCheck(
        List.of(
            new RetentionItem("kept-4", "shop_4.sqlite3"),
            new RetentionItem("kept-5", "shop_5.sqlite3"),
            new RetentionItem("kept-6", "shop_6.sqlite3")));
    return r;
  }

  static StepResult result(Map<String, String> details) {
    return new StepResult("backups-prune", 0, "Pruned", "…", null, details);
  }

  @Test
  void deletedAndAbsentArePrunedMissingAndDamagedAreSaidSoTheRestIsReady() {
    Map<String, RetentionOutcome.Change> c =
        RetentionOutcome.of(
            plan(),
            result(
                Map.of(
                    "deleted", "1",
                    // paths as the Job saw them are compared by file name
                    "deletedNames", "/var/lib/dbguard/backups/shop_1.sqlite3",
                    "absent", "shop_2.sqlite3",
                    "missing", "shop_4.sqlite3",
                    "damaged", "shop_5.sqlite3")));

    assertThat(c.get("old-1").state()).isEqualTo(BackupState.Pruned);
    assertThat(c.get("old-2").state()).isEqualTo(BackupState.Pruned);
    assertThat(c).as("not reported deleted: unchanged").doesNotContainKey("old-3");
    assertThat(c.get("kept-4").state()).isEqualTo(BackupState.Missing);
    assertThat(c.get("kept-4").message()).contains("shop_4.sqlite3").contains("not found");
    assertThat(c.get("kept-5").state()).isEqualTo(BackupState.Failed);
    assertThat(c.get("kept-6")).isEqualTo(new RetentionOutcome.Change(BackupState.Ready, null));
  }

  @Test
  void anUnreadableResultChangesNothing() {
    assertThat(RetentionOutcome.of(plan(), null)).isEmpty();
    assertThat(RetentionOutcome.of(plan(), result(null))).isEmpty();
    assertThat(RetentionOutcome.of(plan(), result(Map.of("missing", "shop_4.sqlite3")))).isEmpty();
  }
}
