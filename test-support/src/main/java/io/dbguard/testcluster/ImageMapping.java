package io.dbguard.testcluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a container image means on the local node: the host command line that plays the image's
 * {@code ENTRYPOINT} and default {@code CMD}.
 *
 * <p>The process of a container is assembled with Docker/Kubernetes semantics: {@code argv =
 * (container.command if set, else entrypoint) + (container.args if set, else defaultArgs when
 * container.command is unset)}. When {@code argv[0]} is an executable registered with {@link
 * LocalNode#mapExecutable(String, List)} (e.g. {@code dbguard}) it is replaced by that command
 * line. Everything else is looked up on the host's {@code PATH} ({@code sh}, {@code sleep} …).
 *
 * @param entrypoint the image's ENTRYPOINT as a host command line; empty for images without one
 * @param defaultArgs the image's CMD; used only when the container sets neither command nor args
 * @param workingDir the image's WORKDIR as a host directory: the process's working directory when
 *     the container sets no {@code workingDir}; null for none (the container's own directory)
 */
public record ImageMapping(List<String> entrypoint, List<String> defaultArgs, Path workingDir) {

  /** Defensive copies. */
  public ImageMapping {
    entrypoint = List.copyOf(entrypoint);
    defaultArgs = List.copyOf(defaultArgs);
  }

  /** An image without a WORKDIR. */
  public ImageMapping(List<String> entrypoint, List<String> defaultArgs) {
    this(entrypoint, defaultArgs, null);
  }

  /**
   * This image with a WORKDIR, e.g. an application checkout holding {@code bin/rails}, so a
   * manifest's relative command runs as it would in the real image.
   */
  public ImageMapping withWorkingDir(Path hostDirectory) {
    return new ImageMapping(entrypoint, defaultArgs, hostDirectory);
  }

  /**
   * An image whose container commands run directly on the host (busybox/alpine/debian style: no
   * entrypoint, default command {@code sh}).
   */
  public static ImageMapping host() {
    return new ImageMapping(List.of(), List.of("sh"));
  }

  /** An image with the given ENTRYPOINT (host command line) and no CMD. */
  public static ImageMapping entrypoint(String... argv) {
    return new ImageMapping(List.of(argv), List.of());
  }

  /**
   * An image whose ENTRYPOINT is {@code java … -cp <this JVM's classpath> mainClass}: the test
   * classpath, so the dbguard image maps to {@code javaMain("io.dbguard.cli.Main")}. The JVM starts
   * with {@code -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -Xmx256m} (fast start-up on 2
   * cores) followed by {@code jvmArgs}.
   */
  public static ImageMapping javaMain(String mainClass, String... jvmArgs) {
    return new ImageMapping(javaCommand(mainClass, jvmArgs), List.of());
  }

  /** The host command line {@link #javaMain(String, String...)} uses, e.g. for an executable. */
  public static List<String> javaCommand(String mainClass, String... jvmArgs) {
    List<String> argv = new ArrayList<>();
    argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    argv.add("-XX:TieredStopAtLevel=1");
    argv.add("-XX:+UseSerialGC");
    argv.add("-Xshare:auto");
    argv.add("-Xmx256m");
    argv.addAll(List.of(jvmArgs));
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(mainClass);
    return argv;
  }
}
