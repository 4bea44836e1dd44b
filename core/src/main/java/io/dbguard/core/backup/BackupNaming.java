package io.dbguard.core.backup;

import io.dbguard.core.engine.EngineKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Backup names: {@code <database>_<environment>_<YYYYMMDD>_<HHMMSS>} in UTC, plus the engine's
 * extension ({@code .dump}, {@code .sqlite3}); the manifest is {@code <name>.manifest.json}
 * (docs/design.md §3). Characters outside {@code [A-Za-z0-9-]} in database and environment become
 * {@code -} so names are safe as file names and Kubernetes object names (after lower-casing).
 */
public final class BackupNaming {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(ZoneOffset.UTC);
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9-]");

  /** Suffix of manifest files. */
  public static final String MANIFEST_SUFFIX = ".manifest.json";

  private BackupNaming() {}

  /** The backup name (no extension) for a database, environment and UTC start time. */
  public static String name(String database, String environment, Instant startedAt) {
    return sanitize(database) + "_" + sanitize(environment) + "_" + STAMP.format(startedAt);
  }

  /**
   * A backup name for {@code directory} that no backup file or manifest there uses yet: {@link
   * #name}, or, when two backups start in the same second, that name plus {@code -2}, {@code -3}, …
   * A backup never overwrites another.
   */
  public static String freeName(
      Path directory, String database, String environment, Instant startedAt, EngineKind engine) {
    String base = name(database, environment, startedAt);
    String name = base;
    for (int n = 2;
        Files.exists(directory.resolve(fileName(name, engine)))
            || Files.exists(directory.resolve(manifestFileName(name)));
        n++) {
      name = base + "-" + n;
    }
    return name;
  }

  /** The backup file name: {@link #name} plus the engine's extension. */
  public static String fileName(String name, EngineKind engine) {
    return name + engine.backupExtension();
  }

  /** The manifest file name for a backup name. */
  public static String manifestFileName(String name) {
    return name + MANIFEST_SUFFIX;
  }

  static String sanitize(String s) {
    String out = UNSAFE.matcher(s == null || s.isBlank() ? "db" : s).replaceAll("-");
    return out;
  }
}
