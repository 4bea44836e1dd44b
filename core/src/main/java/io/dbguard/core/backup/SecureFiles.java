package io.dbguard.core.backup;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Files that hold database contents are created owner-only (mode 0600) from the first byte. */
public final class SecureFiles {
  private SecureFiles() {}

  /**
   * Creates a new, empty file with mode 0600 (on POSIX file systems).
   *
   * @throws java.nio.file.FileAlreadyExistsException if it exists
   * @throws IOException on other I/O errors (missing directory, read-only, no space)
   */
  public static Path createPrivateFile(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    return Files.createFile(file);
  }

  /** Sets mode 0600 on an existing file (no-op on non-POSIX file systems). */
  public static void restrict(Path file) throws IOException {
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }
}
