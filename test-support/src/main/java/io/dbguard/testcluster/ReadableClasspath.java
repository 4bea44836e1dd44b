package io.dbguard.testcluster;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A copy of this JVM's classpath that every user can read, for tests that start the dbguard CLI as
 * another (non-root) user: the classpath usually lies under {@code /root} ({@code ~/.m2}, mode
 * 0700), which another user cannot reach.
 */
public final class ReadableClasspath {
  private ReadableClasspath() {}

  /**
   * Mirrors {@code java.class.path} into {@code dir}: each entry becomes {@code dir/<n>-<name>}, a
   * hard link to the original file (a copy when the file systems differ or the original is not
   * world-readable), directories recreated with mode 0755; a jar whose manifest has a {@code
   * Class-Path} (surefire's manifest-only jar) is followed by that list, resolved against the jar's
   * directory. Missing entries are skipped. {@code dir} and its ancestors get {@code g+x,o+x} (a
   * process of gid 0 is judged by the group bits).
   *
   * @param dir the directory to create (absent or empty)
   * @return the mirrored classpath, {@link File#pathSeparator}-separated, for {@code java -cp}
   * @throws UncheckedIOException on I/O errors
   */
  public static String mirror(Path dir) {
    try {
      return mirror(dir, System.getProperty("java.class.path"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot mirror the test classpath into " + dir, e);
    }
  }

  private static String mirror(Path mirrorDir, String classpath) throws IOException {
    Files.createDirectories(mirrorDir);
    RunAsUsers.reachable(mirrorDir.resolve("x"));
    Files.setPosixFilePermissions(mirrorDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> out = new ArrayList<>();
    int i = 0;
    for (Path entry : expand(classpath)) {
      if (!Files.exists(entry)) {
        continue;
      }
      Path target = mirrorDir.resolve((i++) + "-" + entry.getFileName());
      if (Files.isDirectory(entry)) {
        try (Stream<Path> s = Files.walk(entry)) {
          for (Path p : s.toList()) {
            Path t = target.resolve(entry.relativize(p).toString());
            if (Files.isDirectory(p)) {
              Files.createDirectories(t);
              Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
            } else {
              linkOrCopy(p, t);
            }
          }
        }
      } else {
        linkOrCopy(entry, target);
      }
      out.add(target.toString());
    }
    return String.join(File.pathSeparator, out);
  }

  /**
   * The classpath's entries, each jar with a manifest {@code Class-Path} (surefire's manifest-only
   * jar, or a library that names its own dependencies) followed by that list (resolved against the
   * jar's directory): the mirrored jar's relative references would not resolve from the mirror.
   */
  private static Set<Path> expand(String classpath) throws IOException {
    Set<Path> entries = new LinkedHashSet<>();
    for (String e : classpath.split(File.pathSeparator)) {
      if (e.isBlank()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath().normalize();
      String manifestClasspath = null;
      if (Files.isRegularFile(p) && p.toString().endsWith(".jar")) {
        try (JarFile jar = new JarFile(p.toFile())) {
          var mf = jar.getManifest();
          manifestClasspath = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
        }
      }
      entries.add(p);
      if (manifestClasspath == null || manifestClasspath.isBlank()) {
        continue;
      }
      URI base = p.getParent().toUri();
      for (String ref : manifestClasspath.trim().split("\\s+")) {
        entries.add(Path.of(base.resolve(ref)).normalize());
      }
    }
    return entries;
  }

  private static void linkOrCopy(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    try {
      Files.createLink(to, from);
    } catch (IOException | UnsupportedOperationException e) {
      Files.copy(from, to);
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(to);
    if (!perms.contains(PosixFilePermission.OTHERS_READ)
        || !perms.contains(PosixFilePermission.GROUP_READ)) {
      // a copy (not a link: that would change the original's mode)
      Files.delete(to);
      Files.copy(from, to);
      perms.add(PosixFilePermission.OTHERS_READ);
      perms.add(PosixFilePermission.GROUP_READ);
      Files.setPosixFilePermissions(to, perms);
    }
  }
}
