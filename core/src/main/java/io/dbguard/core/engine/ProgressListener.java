package io.dbguard.core.engine;

/**
 * Receives progress of long work (dump, copy, hash, restore) so front ends can show bytes and rate.
 * Implementations must be cheap and thread-safe; engines call them at most a few times per second.
 */
@FunctionalInterface
public interface ProgressListener {
  /**
   * @param phase short name of the work, e.g. {@code "dump"}, {@code "verify"}, {@code "restore"}
   * @param bytesDone bytes processed so far
   * @param bytesTotal total bytes expected, or {@code -1} when unknown
   */
  void progress(String phase, long bytesDone, long bytesTotal);

  /** A listener that ignores everything. */
  ProgressListener NONE = (phase, done, total) -> {};
}
