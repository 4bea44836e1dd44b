package io.dbguard.core.analysis;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the files the analysis (and the production guard) looks at, refusing what must not be read:
 * anything that is not a regular file after following symbolic links (FIFOs block until a writer
 * appears, devices like {@code /dev/zero} never end) and files larger than a limit. The limit is
 * checked before reading and again while reading, so a file that grows in between is still refused
 * rather than read into memory without bound.
 */
public final class InputFiles {

  private InputFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @param maxBytes largest accepted size in bytes ({@code > 0})
   * @throws NoSuchFileException when it does not exist
   * @throws InputFileException when it is not a regular file or is larger than {@code maxBytes}
   * @throws IOException when reading fails
   */
  public static byte[] read(Path file, long maxBytes) throws IOException {
    checkRegular(file);
    long size = Files.size(file);
    if (size > maxBytes) {
      throw tooLarge(file, size + " bytes", maxBytes);
    }
    try (InputStream in = Files.newInputStream(file)) {
      int cap = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8L);
      byte[] bytes = in.readNBytes(cap);
      if (bytes.length > maxBytes) {
        throw tooLarge(file, "more than " + maxBytes + " bytes", maxBytes);
      }
      return bytes;
    }
  }

  /**
   * Refuses a path that is not a regular file (symbolic links followed).
   *
   * @throws NoSuchFileException when it does not exist
   * @throws InputFileException when it exists but is not a regular file or directory
   */
  public static void checkRegular(Path file) throws IOException {
    if (!Files.exists(file)) {
      throw new NoSuchFileException(file.toString());
    }
    if (!Files.isRegularFile(file)) {
      throw new InputFileException(
          file.toString(),
          file
              + " is not a regular file ("
              + kind(file)
              + "); dbguard reads only regular files and directories of them");
    }
  }

  private static String kind(Path file) {
    if (Files.isDirectory(file)) {
      return "a directory";
    }
    if (Files.isSymbolicLink(file) && !Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return "a dangling link";
    }
    return "a FIFO, device or socket";
  }

  private static InputFileException tooLarge(Path file, String size, long maxBytes) {
    return new InputFileException(
        file.toString(),
        file
            + " is "
            + size
            + ", larger than the limit of "
            + maxBytes
            + " bytes per analysed file; raise it with --max-file-size if this file is meant to be"
            + " analysed");
  }
}
