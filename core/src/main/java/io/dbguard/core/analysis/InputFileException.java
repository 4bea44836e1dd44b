package io.dbguard.core.analysis;

import java.io.IOException;

/**
 * A path given to the analysis that it refuses to read: not a regular file (a FIFO, a device such
 * as {@code /dev/zero}, a socket — reading one may block forever or never end), or larger than the
 * size limit ({@link AnalysisOptions#maxFileBytes()}). The message names the path and the reason;
 * the CLI maps it to a usage error (exit 4).
 */
public final class InputFileException extends IOException {

  private final String path;

  /**
   * @param path the path as given
   * @param message what is wrong with it, for a person
   */
  public InputFileException(String path, String message) {
    super(message);
    this.path = path;
  }

  /** The path as given. */
  public String path() {
    return path;
  }
}
