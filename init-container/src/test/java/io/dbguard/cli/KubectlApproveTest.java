package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KubectlApproveTest {
  @Test
  void onlyAWaitingPlanOfTheNamedRevisionIsApproved() {
    assertThat(KubectlApproveCommand.refusal("shop", "AwaitingApproval", "77aa88bb", null))
        .isNull();
    assertThat(KubectlApproveCommand.refusal("shop", "AwaitingApproval", "77aa88bb", "77aa88bb"))
        .isNull();
    assertThat(KubectlApproveCommand.refusal("shop", "AwaitingApproval", "77aa88bb", "3f2a9c1d"))
        .contains("the waiting plan is for revision 77aa88bb, not 3f2a9c1d");
    assertThat(KubectlApproveCommand.refusal("shop", "Planning", "77aa88bb", null))
        .contains("not waiting for an approval (phase Planning)");
    assertThat(KubectlApproveCommand.refusal("shop", "AwaitingApproval", null, null))
        .contains("not waiting");
  }
}
