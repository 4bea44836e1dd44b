package io.dbguard.core.pipeline;

/**
 * Receives pipeline events in order, on the pipeline's thread (PROGRESS/OUTPUT may come from
 * others).
 */
@FunctionalInterface
public interface PipelineListener {
  /** One event. Must not throw. */
  void on(PipelineEvent event);

  /** Ignores everything. */
  PipelineListener NONE = e -> {};
}
