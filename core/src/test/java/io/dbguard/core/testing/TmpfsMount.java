package io.dbguard.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real small tmpfs mount for disk-full and read-only tests. Needs root or CAP_SYS_ADMIN, which
 * {@code .ci/run} has; without it {@link #mount} fails the test loudly instead of skipping it.
 */
public final class TmpfsMount implements AutoCloseable {
  private final Path dir;

  private TmpfsMount(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts a tmpfs of {@code sizeKib} KiB (read-only when asked) on a new directory under {@code
   * parent}.
   *
   * @throws IllegalStateException when {@code mount} fails (not root, no CAP_SYS_ADMIN), with its
   *     output
   */
  public static TmpfsMount mount(Path parent, int sizeKib, boolean readOnly) throws Exception {
    Path dir = Files.createTempDirectory(parent, "tmpfs");
    Process p =
        new ProcessBuilder(
                "mount",
                "-t",
                "tmpfs",
                "-o",
                (readOnly ? "ro," : "") + "size=" + sizeKib + "k,mode=0700",
                "tmpfs",
                dir.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          "cannot mount a "
              + sizeKib
              + " KiB tmpfs on "
              + dir
              + " ("
              + out
              + "): this test needs root or CAP_SYS_ADMIN, as .ci/run has");
    }
    return new TmpfsMount(dir);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
  }
}
