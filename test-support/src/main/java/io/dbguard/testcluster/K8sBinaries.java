package io.dbguard.testcluster;

import io.fabric8.kubeapitest.KubeAPIServerConfig;
import io.fabric8.kubeapitest.KubeAPIServerConfigBuilder;
import io.fabric8.kubeapitest.binary.BinaryManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Where the control-plane binaries come from.
 *
 * <p>Two paths:
 *
 * <ul>
 *   <li><b>offline</b> (our CI, machines without internet): {@code
 *       $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{etcd,kube-apiserver,kube-controller-manager,kubectl}}
 *       laid out by {@code scripts/k8s-binaries.sh} (built from Debian's {@code kubernetes} source
 *       package). Chosen when {@code KUBE_API_TEST_OFFLINE_MODE=true}, or when that variable is
 *       unset and the default cache {@code ~/.cache/dbguard/k8s/kube-api-test} holds the binaries.
 *   <li><b>online</b> ({@code KUBE_API_TEST_OFFLINE_MODE} not {@code true} and no cache):
 *       kube-api-test downloads the official etcd/kube-apiserver/kubectl for {@code
 *       KUBE_API_TEST_API_SERVER_VERSION} (newest when unset) into {@code KUBE_API_TEST_DIR}
 *       (default {@code ~/.kubeapitest}); kube-controller-manager of the same version is then
 *       downloaded from {@code dl.k8s.io} and checked against its published SHA-256.
 * </ul>
 *
 * @param directory the version directory holding all four binaries
 * @param version Kubernetes version, e.g. {@code 1.20.2}
 * @param offline whether the offline path was used
 */
public record K8sBinaries(Path directory, String version, boolean offline) {

  /** Default Kubernetes version of the offline path. */
  public static final String DEFAULT_VERSION = "1.20.2";

  /** The binaries kube-api-test and the rig start. */
  public static final List<String> NAMES =
      List.of("etcd", "kube-apiserver", "kube-controller-manager", "kubectl");

  /** {@code <directory>/etcd}. */
  public Path etcd() {
    return directory.resolve("etcd");
  }

  /** {@code <directory>/kube-apiserver}. */
  public Path apiServer() {
    return directory.resolve("kube-apiserver");
  }

  /** {@code <directory>/kube-controller-manager}. */
  public Path controllerManager() {
    return directory.resolve("kube-controller-manager");
  }

  /** {@code <directory>/kubectl}. */
  public Path kubectl() {
    return directory.resolve("kubectl");
  }

  /** The default offline directory, as laid out by {@code scripts/k8s-binaries.sh}. */
  public static Path defaultCacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache =
        xdg != null && !xdg.isBlank()
            ? Path.of(xdg)
            : Path.of(System.getProperty("user.home"), ".cache");
    return cache.resolve("dbguard/k8s/kube-api-test");
  }

  /**
   * Resolves the binaries from the environment (see the class doc).
   *
   * @throws TestClusterException with instructions ({@code scripts/k8s-binaries.sh}) when they are
   *     missing or cannot be downloaded
   */
  public static K8sBinaries resolve() {
    return resolve(System.getenv());
  }

  static K8sBinaries resolve(Map<String, String> env) {
    String offlineEnv = env.get(KubeAPIServerConfigBuilder.KUBE_API_TEST_OFFLINE_MODE);
    String dirEnv = env.get(KubeAPIServerConfigBuilder.KUBE_API_TEST_DIR);
    String versionEnv = env.get(KubeAPIServerConfigBuilder.KUBE_API_TEST_API_SERVER_VERSION);
    boolean offline;
    Path dir;
    if (offlineEnv != null && !offlineEnv.isBlank()) {
      offline = Boolean.parseBoolean(offlineEnv.trim());
      dir = dirEnv != null && !dirEnv.isBlank() ? Path.of(dirEnv) : defaultCacheDir();
    } else {
      dir = dirEnv != null && !dirEnv.isBlank() ? Path.of(dirEnv) : defaultCacheDir();
      String v = versionEnv != null && !versionEnv.isBlank() ? versionEnv : DEFAULT_VERSION;
      offline = complete(versionDir(dir, v));
      if (!offline && (dirEnv == null || dirEnv.isBlank())) {
        dir = null; // kube-api-test's own default (~/.kubeapitest)
      }
    }
    if (offline) {
      String version = versionEnv != null && !versionEnv.isBlank() ? versionEnv : DEFAULT_VERSION;
      Path vdir = versionDir(dir, version);
      if (!complete(vdir)) {
        throw new TestClusterException(
            "The operator test tier needs etcd, kube-apiserver, kube-controller-manager and kubectl "
                + version
                + " in "
                + vdir
                + " (missing: "
                + missing(vdir)
                + "). Run scripts/k8s-binaries.sh (it builds them once from Debian's kubernetes"
                + " source package, ~5 min on 2 cores, then caches them) and export"
                + " KUBE_API_TEST_DIR=<the directory it prints>, or run the tests through"
                + " scripts/test.sh. On a machine with internet access, unset"
                + " KUBE_API_TEST_OFFLINE_MODE to let kube-api-test download official binaries.");
      }
      return new K8sBinaries(vdir, version, true);
    }
    return downloadOfficial(dir, versionEnv);
  }

  private static K8sBinaries downloadOfficial(Path dir, String version) {
    KubeAPIServerConfigBuilder b = KubeAPIServerConfigBuilder.anAPIServerConfig();
    b.withOfflineMode(false);
    if (dir != null) {
      b.withTestDir(dir.toString());
    }
    if (version != null && !version.isBlank()) {
      b.withApiServerVersion(version);
    }
    KubeAPIServerConfig config = b.build();
    try {
      BinaryManager manager = new BinaryManager(config);
      manager.initAndDownloadIfRequired();
      Path vdir = manager.binaries().getApiServer().toPath().toAbsolutePath().getParent();
      String name = vdir.getFileName().toString();
      String resolvedVersion = name.substring(0, name.indexOf('-'));
      Path kcm = vdir.resolve("kube-controller-manager");
      if (!Files.isExecutable(kcm)) {
        downloadControllerManager(resolvedVersion, kcm);
      }
      return new K8sBinaries(vdir, resolvedVersion, false);
    } catch (RuntimeException e) {
      throw new TestClusterException(
          "Could not download the Kubernetes test binaries ("
              + e
              + "). Without internet access run scripts/k8s-binaries.sh and set"
              + " KUBE_API_TEST_OFFLINE_MODE=true and KUBE_API_TEST_DIR (scripts/test.sh does"
              + " both).",
          e);
    }
  }

  private static void downloadControllerManager(String version, Path target) {
    String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
    String url = "https://dl.k8s.io/release/v" + version + "/bin/linux/" + arch + "/";
    HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
    try {
      Path tmp = Files.createTempFile(target.getParent(), "kube-controller-manager", ".part");
      HttpResponse<InputStream> bin =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "kube-controller-manager")).build(),
              HttpResponse.BodyHandlers.ofInputStream());
      if (bin.statusCode() != 200) {
        throw new IOException("GET " + url + "kube-controller-manager: HTTP " + bin.statusCode());
      }
      try (InputStream in = bin.body()) {
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      String expected =
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "kube-controller-manager.sha256"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body()
              .trim()
              .split("\\s+")[0];
      String actual =
          HexFormat.of()
              .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(tmp)));
      if (!actual.equalsIgnoreCase(expected)) {
        Files.deleteIfExists(tmp);
        throw new IOException("SHA-256 mismatch for kube-controller-manager " + version);
      }
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TestClusterException("interrupted while downloading kube-controller-manager", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path versionDir(Path dir, String version) {
    return dir.resolve("k8s").resolve(version + "-linux-amd64");
  }

  private static boolean complete(Path vdir) {
    return missing(vdir).isEmpty();
  }

  private static List<String> missing(Path vdir) {
    return NAMES.stream().filter(n -> !Files.isExecutable(vdir.resolve(n))).toList();
  }
}
