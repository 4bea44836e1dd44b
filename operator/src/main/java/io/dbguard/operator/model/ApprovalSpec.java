package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/**
 * {@code spec.approval}: plan each attempt first ({@code dbguard plan} as a Job, summary in {@code
 * status.plan}) and, with mode Manual, wait for a human to approve that exact revision. Not part of
 * the attempt definition: editing it starts no attempt; an attempt that is waiting reads the
 * current value.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ApprovalSpec {

  @JsonPropertyDescription(
      "Manual (the default): after planning, wait in phase AwaitingApproval until the annotation dbguard.io/approve names the attempt's revision (status.revision). Automatic: record the plan and go on.")
  @Default("Manual")
  private ApprovalMode mode;

  @JsonPropertyDescription(
      "Seconds to wait for the approval, counted from status.plan.awaitingSince; then the attempt ends as Blocked (reason ApprovalTimedOut) without touching the database. Unset: wait without limit.")
  @Min(1)
  private Long maxWaitSeconds;

  public ApprovalMode getMode() {
    return mode;
  }

  public void setMode(ApprovalMode mode) {
    this.mode = mode;
  }

  public Long getMaxWaitSeconds() {
    return maxWaitSeconds;
  }

  public void setMaxWaitSeconds(Long maxWaitSeconds) {
    this.maxWaitSeconds = maxWaitSeconds;
  }
}
