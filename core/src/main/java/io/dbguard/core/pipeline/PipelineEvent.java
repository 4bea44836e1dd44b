package io.dbguard.core.pipeline;

/**
 * Something that happened in a pipeline run, for front ends (the CLI prints them, the JSON output
 * lists them).
 *
 * @param step the step
 * @param kind what happened
 * @param message one human line, no secrets
 * @param durationMillis for {@code SUCCEEDED}/{@code FAILED}: wall time of the step in
 *     milliseconds; otherwise 0
 * @param bytesDone for {@code PROGRESS}: bytes processed so far; otherwise 0
 * @param bytesTotal for {@code PROGRESS}: bytes expected or -1; otherwise 0
 */
public record PipelineEvent(
    PipelineStep step,
    Kind kind,
    String message,
    long durationMillis,
    long bytesDone,
    long bytesTotal) {

  /** Event kinds. */
  public enum Kind {
    STARTED,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    WARNING,
    /** One line of the migration or seed command's output. */
    OUTPUT,
    /** Bytes copied so far in a long copy (backup, hash, restore). */
    PROGRESS
  }

  static PipelineEvent of(PipelineStep step, Kind kind, String message) {
    return new PipelineEvent(step, kind, message, 0, 0, 0);
  }
}
