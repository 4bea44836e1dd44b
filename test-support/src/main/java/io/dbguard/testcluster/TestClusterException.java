package io.dbguard.testcluster;

/** The test control plane could not be started or used; the message says what to do. */
public class TestClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what failed and how to fix it
   */
  public TestClusterException(String message) {
    super(message);
  }

  /**
   * @param message what failed and how to fix it
   * @param cause the underlying error
   */
  public TestClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
