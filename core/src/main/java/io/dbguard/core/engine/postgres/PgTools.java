package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DbguardException;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Locates the PostgreSQL client tools ({@code pg_dump}, {@code pg_restore}, {@code psql}) and reads
 * their versions from {@code --version}.
 *
 * <p>Search order for each tool: the configured directory ({@link
 * PostgresOptions#toolDirectory()}), else {@code $DBGUARD_PG_BIN_DIR}, else every directory of
 * {@code $PATH}. A configured directory is authoritative: a tool missing there is an error, not a
 * reason to fall back to {@code PATH}.
 */
public final class PgTools {
  /** Environment variable naming the tool directory when none is configured. */
  public static final String BIN_DIR_ENV = "DBGUARD_PG_BIN_DIR";

  private static final Pattern VERSION =
      Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

  private final Path configuredDir;

  /**
   * @param configuredDir the configured tool directory or {@code null} for {@code
   *     $DBGUARD_PG_BIN_DIR}, then {@code PATH}
   */
  public PgTools(Path configuredDir) {
    if (configuredDir == null) {
      String env = System.getenv(BIN_DIR_ENV);
      configuredDir = env == null || env.isBlank() ? null : Path.of(env);
    }
    this.configuredDir = configuredDir;
  }

  /**
   * The executable for a tool name.
   *
   * @throws DbguardException reason {@code ToolMissing} when it cannot be found or is not
   *     executable
   */
  public Path locate(String tool) {
    if (configuredDir != null) {
      Path p = configuredDir.resolve(tool);
      if (Files.isExecutable(p)) {
        return p;
      }
      throw new DbguardException(
          "ToolMissing",
          tool
              + " not found or not executable in "
              + configuredDir
              + " (install the PostgreSQL client of the server's major version or fix the tool"
              + " directory)");
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String dir : path.split(File.pathSeparator)) {
        if (dir.isEmpty()) {
          continue;
        }
        Path p = Path.of(dir).resolve(tool);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    throw new DbguardException(
        "ToolMissing",
        tool
            + " not found on PATH and "
            + BIN_DIR_ENV
            + " is not set (install the PostgreSQL client of the server's major version)");
  }

  /**
   * Runs {@code <tool> --version} and returns its version, e.g. {@code 15.18} or {@code 9.6}.
   *
   * @throws DbguardException reason {@code ToolMissing} when the tool is missing, cannot run or
   *     prints no PostgreSQL version
   */
  public String version(Path executable) {
    String out;
    try {
      Process p =
          new ProcessBuilder(List.of(executable.toString(), "--version"))
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      out = readLimited(p.getInputStream(), 4096);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new DbguardException("ToolMissing", executable + " --version did not finish");
      }
    } catch (IOException e) {
      throw new DbguardException(
          "ToolMissing", "cannot run " + executable + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DbguardException("ToolMissing", "interrupted while running " + executable);
    }
    Matcher m = VERSION.matcher(out);
    if (!m.find()) {
      throw new DbguardException(
          "ToolMissing", executable + " --version printed no PostgreSQL version: " + out.strip());
    }
    return m.group(2) == null ? m.group(1) : m.group(1) + "." + m.group(2);
  }

  /**
   * The major version comparable across the 9.x and 10+ numbering: {@code 15.18 -> 1500}, {@code
   * 9.6.24 -> 906}, {@code 10 -> 1000}.
   */
  public static int major(String version) {
    String[] parts = version.split("\\.");
    int first = Integer.parseInt(parts[0]);
    if (first >= 10) {
      return first * 100;
    }
    return first * 100 + (parts.length > 1 ? Integer.parseInt(parts[1]) : 0);
  }

  /**
   * The same major-version number from PostgreSQL's {@code server_version_num} (e.g. {@code 150018
   * -> 1500}, {@code 90624 -> 906}).
   */
  public static int majorFromServerVersionNum(int serverVersionNum) {
    return serverVersionNum >= 100000 ? serverVersionNum / 10000 * 100 : serverVersionNum / 100;
  }

  static String readLimited(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[8192];
    int n;
    while ((n = in.read(b)) >= 0) {
      if (buf.size() < limit) {
        buf.write(b, 0, Math.min(n, limit - buf.size()));
      }
    }
    return buf.toString(StandardCharsets.UTF_8);
  }
}
