package io.dbguard.demo;

/** A stage of the demo did not reach what it expects; the message says which and what it saw. */
public final class DemoFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with its explanation. */
  public DemoFailure(String message) {
    super(message);
  }

  /** A failure with its explanation and cause. */
  public DemoFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
