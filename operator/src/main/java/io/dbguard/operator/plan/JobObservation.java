package io.dbguard.operator.plan;

import io.dbguard.core.report.StepResult;

/**
 * What the operator saw of one owned Job and its pod.
 *
 * @param name Job name ({@code <cr>-<step>-<revision8>})
 * @param uid Job UID
 * @param step the step, from the {@code dbguard.io/step} label; null for a Job that is not a step
 *     (the prune Job, label {@code dbguard.io/task})
 * @param state active, succeeded or failed (from the Job's conditions / pod phase)
 * @param exitCode the step container's exit code, or null when no container has terminated
 * @param result the container's termination message parsed as a {@link StepResult}, or null
 * @param jobFailureReason the Job's {@code Failed} condition reason (e.g. {@code
 *     DeadlineExceeded}), or null
 */
public record JobObservation(
    String name,
    String uid,
    Step step,
    State state,
    Integer exitCode,
    StepResult result,
    String jobFailureReason) {

  /** Lifecycle of a Job as the planner needs it. */
  public enum State {
    ACTIVE,
    SUCCEEDED,
    FAILED
  }

  /** Exit code for the decision: 0 for a succeeded Job, the container's code, or -1 unknown. */
  public int effectiveExitCode() {
    if (state == State.SUCCEEDED) {
      return 0;
    }
    return exitCode == null ? -1 : exitCode;
  }

  /** The step's own message, or a description of how the Job failed. */
  public String describe() {
    if (result != null && result.message() != null) {
      return result.message();
    }
    if (jobFailureReason != null) {
      return "Job " + name + " failed: " + jobFailureReason;
    }
    return "Job " + name + " ended with exit code " + effectiveExitCode();
  }
}
