package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.ProgressListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Byte plumbing shared by backup, verify and restore: one pass over a stream that hashes (SHA-256),
 * optionally writes to a file and optionally feeds a child process's stdin, reporting progress at
 * most every 250 ms.
 */
final class ArchiveStreams {
  static final int BUFFER = 1 << 20;
  private static final long PROGRESS_EVERY_NANOS = 250_000_000L;

  private ArchiveStreams() {}

  /** Result of one pass. */
  record Pass(long bytes, String sha256, boolean sinkFailed) {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Copies {@code in} to its end: every byte is hashed, written to {@code file} (if not null) and
   * to {@code sink} (if not null). A failing sink (the reader died) does not stop the copy; it is
   * reported in {@link Pass#sinkFailed()} and the sink is closed. Closes {@code sink} at the end.
   *
   * @throws IOException reading {@code in} or writing {@code file} failed
   */
  static Pass copy(
      InputStream in,
      FileChannel file,
      OutputStream sink,
      ProgressListener progress,
      String phase,
      long total)
      throws IOException {
    MessageDigest md = sha256();
    byte[] buf = new byte[BUFFER];
    long done = 0;
    long lastReport = System.nanoTime();
    boolean sinkFailed = false;
    int n;
    while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
      md.update(buf, 0, n);
      if (file != null) {
        ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
        while (bb.hasRemaining()) {
          file.write(bb);
        }
      }
      if (sink != null && !sinkFailed) {
        try {
          sink.write(buf, 0, n);
        } catch (IOException e) {
          sinkFailed = true;
          closeQuietly(sink);
        }
      }
      done += n;
      long now = System.nanoTime();
      if (now - lastReport >= PROGRESS_EVERY_NANOS) {
        progress.progress(phase, done, total);
        lastReport = now;
      }
    }
    if (sink != null && !sinkFailed) {
      try {
        sink.close();
      } catch (IOException e) {
        sinkFailed = true;
      }
    }
    progress.progress(phase, done, total);
    return new Pass(done, HexFormat.of().formatHex(md.digest()), sinkFailed);
  }

  /**
   * Hashes a file (and feeds it to {@code sink} when not null) in one read pass.
   *
   * @throws DbguardException reason {@code BackupCorrupt} when the file is missing or unreadable
   */
  static Pass readFile(Path file, OutputStream sink, ProgressListener progress, String phase) {
    try (InputStream in = Files.newInputStream(file, StandardOpenOption.READ)) {
      return copy(in, null, sink, progress, phase, Files.size(file));
    } catch (NoSuchFileException e) {
      throw new DbguardException("BackupCorrupt", "backup file " + file + " does not exist");
    } catch (IOException e) {
      throw new DbguardException(
          "BackupCorrupt", "cannot read backup file " + file + ": " + e.getMessage(), e);
    }
  }

  static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // best effort
    }
  }
}
