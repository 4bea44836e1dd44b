package io.dbguard.core.backup;

import io.dbguard.core.engine.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of files, as lowercase hex, using the JDK's {@link MessageDigest} (algorithm name from
 * the Java Security Standard Algorithm Names) and {@link HexFormat}.
 */
public final class Sha256 {
  private static final int BUFFER_BYTES = 1 << 20;

  private Sha256() {}

  /** A new SHA-256 digest. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always provides SHA-256", e);
    }
  }

  /** Lowercase hex of a digest's result. */
  public static String hex(byte[] digest) {
    return HexFormat.of().formatHex(digest);
  }

  /** SHA-256 (lowercase hex, 64 chars) of a UTF-8 string. */
  public static String ofString(String s) {
    return hex(newDigest().digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /**
   * Reads the whole file and returns its SHA-256 as lowercase hex.
   *
   * @param progress told {@code (phase, bytesRead, fileSize)} about every 64 MiB and at the end
   * @throws IOException when the file cannot be read
   */
  public static String ofFile(Path file, String phase, ProgressListener progress)
      throws IOException {
    long total = Files.size(file);
    MessageDigest md = newDigest();
    byte[] buf = new byte[BUFFER_BYTES];
    long done = 0;
    long nextReport = 64L << 20;
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
      int n;
      while ((n = in.read(buf)) >= 0) {
        done += n;
        if (done >= nextReport) {
          progress.progress(phase, done, total);
          nextReport = done + (64L << 20);
        }
      }
    }
    progress.progress(phase, done, total);
    return hex(md.digest());
  }
}
