package io.dbguard.testcluster;

import java.util.function.BooleanSupplier;

/**
 * The local node's cap on pods running at once: a pod over the cap is bound but waits, in phase
 * {@code Pending} with no container started, until a running pod ends or is deleted. Pods are
 * admitted in no guaranteed order. Without a cap (0, the default) every pod starts at once.
 */
final class PodAdmission {
  private int limit;
  private int running;

  /**
   * Sets the cap; 0 removes it. Applies at once to waiting pods (a higher cap admits more); pods
   * already running keep running.
   *
   * @throws IllegalArgumentException for a negative cap
   */
  synchronized void setLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("cap must be >= 0, got " + limit);
    }
    this.limit = limit;
    notifyAll();
  }

  /** The cap; 0 = none. */
  synchronized int limit() {
    return limit;
  }

  /** Pods admitted and not yet released. */
  synchronized int running() {
    return running;
  }

  /**
   * Waits for a free slot and takes it.
   *
   * @param cancelled checked while waiting: a pod deleted meanwhile never starts
   * @return true when admitted (call {@link #release} when the pod ends), false when cancelled
   * @throws InterruptedException when the waiting thread is interrupted
   */
  synchronized boolean admit(BooleanSupplier cancelled) throws InterruptedException {
    while (limit > 0 && running >= limit) {
      if (cancelled.getAsBoolean()) {
        return false;
      }
      wait(200);
    }
    if (cancelled.getAsBoolean()) {
      return false;
    }
    running++;
    return true;
  }

  /**
   * Runs {@code pod} once a slot is free, on the calling thread, and frees the slot when it
   * returns; does not run it when {@code cancelled} turns true while it waits.
   */
  void run(Runnable pod, BooleanSupplier cancelled) {
    try {
      if (!admit(cancelled)) {
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    try {
      pod.run();
    } finally {
      release();
    }
  }

  /** Frees the slot of an admitted pod that ended. */
  synchronized void release() {
    running--;
    notifyAll();
  }
}
