package io.dbguard.core.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real small tmpfs mount for disk-full and read-only tests (needs root or CAP_SYS_ADMIN; {@link
 * #tryMount} returns null when mounting is not permitted).
 */
public final class TmpfsMount implements AutoCloseable {
  private final Path dir;

  private TmpfsMount(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code sizeKib} KiB (read-only when asked) on a new directory, or null. */
  public static TmpfsMount tryMount(Path parent, int sizeKib, boolean readOnly) throws Exception {
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
    p.getInputStream().readAllBytes();
    return p.waitFor() == 0 ? new TmpfsMount(dir) : null;
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    new ProcessBuilder("umount", dir.toString()).inheritIO().start().waitFor();
  }
}
