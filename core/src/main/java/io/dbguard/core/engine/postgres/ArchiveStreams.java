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
    AsyncSink async = sink == null ? null : new AsyncSink(sink);
    long done = 0;
    long lastReport = System.nanoTime();
    try {
      while (true) {
        byte[] buf = new byte[BUFFER];
        int n = in.readNBytes(buf, 0, buf.length);
        if (n <= 0) {
          break;
        }
        md.update(buf, 0, n);
        if (file != null) {
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          while (bb.hasRemaining()) {
            file.write(bb);
          }
        }
        if (async != null) {
          async.put(buf, n);
        }
        done += n;
        long now = System.nanoTime();
        if (now - lastReport >= PROGRESS_EVERY_NANOS) {
          progress.progress(phase, done, total);
          lastReport = now;
        }
      }
    } finally {
      if (async != null) {
        async.finish();
      }
    }
    progress.progress(phase, done, total);
    return new Pass(done, HexFormat.of().formatHex(md.digest()), async != null && async.failed);
  }

  /**
   * Feeds a child's stdin from its own thread through a bounded queue (32 MiB), so a momentarily
   * slower reader (pg_restore) does not stall the producer (pg_dump) behind a 64 KiB pipe.
   */
  private static final class AsyncSink {
    private static final byte[] EOF = new byte[0];
    private final java.util.concurrent.BlockingQueue<byte[]> queue =
        new java.util.concurrent.ArrayBlockingQueue<>(32);
    private final Thread thread;
    private volatile boolean failed;

    AsyncSink(OutputStream out) {
      thread =
          new Thread(
              () -> {
                try (out) {
                  while (true) {
                    byte[] b = queue.take();
                    if (b == EOF) {
                      break;
                    }
                    if (!failed) {
                      try {
                        out.write(b);
                      } catch (IOException e) {
                        failed = true;
                      }
                    }
                  }
                } catch (IOException e) {
                  failed = true;
                } catch (InterruptedException e) {
                  failed = true;
                  Thread.currentThread().interrupt();
                }
              },
              "dbguard-archive-feed");
      thread.setDaemon(true);
      thread.start();
    }

    void put(byte[] buf, int n) throws IOException {
      if (failed) {
        return;
      }
      try {
        queue.put(n == buf.length ? buf : java.util.Arrays.copyOf(buf, n));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted feeding the archive reader");
      }
    }

    void finish() throws IOException {
      try {
        queue.put(EOF);
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new java.io.InterruptedIOException("interrupted feeding the archive reader");
      }
    }
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
