package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Opt-in: the {@link LocalNode} runs the containers of chosen pods as the user their {@code
 * securityContext} names, as a real kubelet does; all other pods run as this JVM's user (root in
 * CI), which is the default because most step Jobs set {@code runAsUser} while the host directories
 * of their volumes belong to root.
 *
 * <p>For a chosen pod, a container whose effective {@code runAsUser} (the container's {@code
 * securityContext}, else the pod's) is set and not 0 runs under {@code setpriv --reuid=<uid>
 * --regid=<gid> --clear-groups --} (numeric ids, no {@code /etc/passwd} entry needed), with {@code
 * --groups=<fsGroup,supplementalGroups…>} instead of {@code --clear-groups} when the pod names any.
 * {@code gid} is the effective {@code runAsGroup}, else 0 (what a container runtime gives a numeric
 * uid without an entry in the image's {@code /etc/passwd}). Before it starts, the node makes what a
 * kubelet gives a container usable by that user: the ancestors of the pod directory get {@code
 * g+x,o+x}, {@code HOME} and {@code TMPDIR} become {@code 0777}, the container directory (its
 * working directory) is chowned to it, the termination-log file becomes {@code 0666} and emptyDir
 * volumes {@code 0777}. Claim directories are left as they are (no {@code fsGroup} ownership
 * change): a test gives them the owner it needs. {@code runAsNonRoot} is not enforced.
 *
 * <p>The test JVM's classpath usually lies under {@code /root} ({@code ~/.m2}, mode 0700), which
 * another user cannot read; an argument equal to {@code java.class.path} ({@link
 * ImageMapping#javaMain}) is therefore replaced by {@link ReadableClasspath#mirror} in {@code <node
 * dir>/classpath}, built once per node.
 */
public final class RunAsUsers {
  private final Path mirrorDir;
  private final List<Predicate<Pod>> chosen = new CopyOnWriteArrayList<>();
  private final Map<String, Long> ranAs = new ConcurrentHashMap<>();
  private String mirroredClasspath;

  RunAsUsers(Path nodeDir) {
    this.mirrorDir = nodeDir.resolve("classpath");
  }

  /**
   * Runs the containers of pods matching {@code pods} as their {@code securityContext}'s user from
   * now on (for pods that start later). Cleared by {@link LocalNode#resetFaults()}, i.e. after each
   * test.
   */
  public void honour(Predicate<Pod> pods) {
    chosen.add(pods);
  }

  /** Forgets every {@link #honour} choice (pods already started are not affected). */
  public void reset() {
    chosen.clear();
  }

  /**
   * The containers of a namespace that ran as another user: {@code "<pod>/<container>"} → the uid
   * of their last run. Containers that ran as this JVM's user are absent.
   */
  public Map<String, Long> ranAs(String namespace) {
    String prefix = namespace + "/";
    Map<String, Long> out = new TreeMap<>();
    ranAs.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k.substring(prefix.length()), v);
          }
        });
    return out;
  }

  /** The identity {@code c} runs as, or null for this JVM's user. */
  Identity identity(Pod pod, Container c) {
    if (chosen.stream().noneMatch(p -> p.test(pod))) {
      return null;
    }
    PodSecurityContext ps = pod.getSpec().getSecurityContext();
    SecurityContext cs = c.getSecurityContext();
    Long uid = cs != null && cs.getRunAsUser() != null ? cs.getRunAsUser() : null;
    if (uid == null && ps != null) {
      uid = ps.getRunAsUser();
    }
    if (uid == null || uid == 0) {
      return null;
    }
    Long gid = cs != null && cs.getRunAsGroup() != null ? cs.getRunAsGroup() : null;
    if (gid == null && ps != null) {
      gid = ps.getRunAsGroup();
    }
    Set<Long> groups = new TreeSet<>();
    if (ps != null && ps.getFsGroup() != null) {
      groups.add(ps.getFsGroup());
    }
    if (ps != null && ps.getSupplementalGroups() != null) {
      groups.addAll(ps.getSupplementalGroups());
    }
    return new Identity(uid, gid == null ? 0 : gid, groups);
  }

  /** {@code setpriv … --} followed by {@code argv}, the JVM's classpath replaced by the mirror. */
  List<String> wrap(Identity who, List<String> argv) {
    String jvmClasspath = System.getProperty("java.class.path");
    List<String> out = new ArrayList<>();
    out.add("setpriv");
    out.add("--reuid=" + who.uid());
    out.add("--regid=" + who.gid());
    if (who.groups().isEmpty()) {
      out.add("--clear-groups");
    } else {
      out.add("--groups=" + String.join(",", who.groups().stream().map(String::valueOf).toList()));
    }
    out.add("--");
    for (String a : argv) {
      out.add(a.equals(jvmClasspath) ? mirroredClasspath() : a);
    }
    return out;
  }

  /**
   * Makes the pod's directories usable by {@code who} (see the class comment) and records the run.
   */
  void prepare(
      Identity who,
      PodRun run,
      String container,
      Path containerDir,
      Path termFile,
      Map<String, Path> volumeDirs) {
    try {
      reachable(run.dir);
      for (Path shared : List.of(run.dir.resolve("home"), run.dir.resolve("tmp"))) {
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      }
      Files.setAttribute(containerDir, "unix:uid", (int) who.uid());
      Files.setAttribute(containerDir, "unix:gid", (int) who.gid());
      Files.setPosixFilePermissions(termFile, PosixFilePermissions.fromString("rw-rw-rw-"));
      for (var v : ContainerPaths.nullToEmpty(run.pod.getSpec().getVolumes())) {
        Path dir = volumeDirs.get(v.getName());
        if (v.getEmptyDir() != null && dir != null) {
          Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ranAs.put(run.namespace + "/" + run.name + "/" + container, who.uid());
  }

  /** The mirror of this JVM's classpath, built on first use. */
  synchronized String mirroredClasspath() {
    if (mirroredClasspath == null) {
      mirroredClasspath = ReadableClasspath.mirror(mirrorDir);
    }
    return mirroredClasspath;
  }

  /**
   * Gives every ancestor of {@code p} {@code g+x} and {@code o+x} so that any user can reach {@code
   * p}: a process whose gid is the directory's group (root's 0, what a {@code runAsUser} without
   * {@code runAsGroup} gets) is judged by the group bits, not by the others' bits.
   */
  static void reachable(Path p) throws IOException {
    for (Path a = p.toAbsolutePath().getParent();
        a != null && a.getParent() != null;
        a = a.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(a);
      if (perms.add(PosixFilePermission.OTHERS_EXECUTE)
          | perms.add(PosixFilePermission.GROUP_EXECUTE)) {
        Files.setPosixFilePermissions(a, perms);
      }
    }
  }

  /** A container's user: uid, primary gid and supplementary groups. */
  record Identity(long uid, long gid, Set<Long> groups) {}
}
