package io.dbguard.core.backup;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.EngineKind;
import io.dbguard.core.engine.RunLock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The hidden files a backup writes before its file is complete, and those an interrupted backup
 * ({@code kill -9}, a lost node) leaves behind in the backup directory.
 *
 * <p>While a backup is written its bytes go to {@code .<backup file>.<owner>.tmp} (SQLite; plus
 * SQLite's {@code -journal} beside it) or {@code .<backup file>.<owner>.partial} (PostgreSQL), and
 * only a complete, verified file is renamed to its final name. {@code <owner>} is {@link
 * #ownerTag}: 12 hex digits naming the database the backup is of, so a leftover can be matched to
 * its database exactly, even when two databases with the same name share a directory. Leftovers of
 * earlier builds ({@code .<backup file>.tmp}, {@code .<backup file>.partial}) and a manifest being
 * written ({@code .<name>.manifest.json.tmp}, see {@link ManifestStore}) carry no owner: they are
 * listed but never removed automatically.
 */
public final class BackupLeftovers {
  /**
   * A leftover's name: {@code .<backup file>[.<owner>].(tmp|partial)[-journal|-wal|-shm]}, also the
   * manifest's {@code .<name>.manifest.json.tmp}.
   */
  private static final Pattern LEFTOVER =
      Pattern.compile(
          "\\.(.+\\.(?:dump|sqlite3|manifest\\.json))(?:\\.([0-9a-f]{12}))?\\.(tmp|partial)"
              + "(-journal|-wal|-shm)?");

  private BackupLeftovers() {}

  /**
   * One leftover file.
   *
   * @param file its path
   * @param bytes its size in bytes (0 when it vanished meanwhile)
   * @param owner the {@link #ownerTag} in its name, or null for a name without one
   */
  public record Leftover(Path file, long bytes, String owner) {}

  /** What {@link #removeOwn} did: files removed, and one line for each that could not be. */
  public record Removal(List<Path> removed, List<String> problems) {}

  /**
   * The owner tag of {@code target}: the first 12 hex digits of the SHA-256 of {@code SQLite
   * <canonical path>} or {@code PostgreSQL <host>:<port>/<database>}. No credentials go into it.
   */
  public static String ownerTag(DatabaseTarget target) {
    String key =
        target.kind() == EngineKind.SQLITE
            ? "SQLite " + DatabaseIdentity.canonical(target.sqliteFile().toString())
            : "PostgreSQL " + target.host() + ":" + target.port() + "/" + target.database();
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /**
   * The hidden file a backup of {@code target} writes before it is complete.
   *
   * @param fileName the final backup file name, e.g. {@code shop_production_20261122_101500.dump}
   * @param suffix {@code tmp} (SQLite) or {@code partial} (PostgreSQL)
   */
  public static Path inProgress(Path dir, String fileName, DatabaseTarget target, String suffix) {
    return dir.resolve("." + fileName + "." + ownerTag(target) + "." + suffix);
  }

  /**
   * Every leftover in {@code dir}, sorted by name; empty when {@code dir} does not exist or cannot
   * be read.
   */
  public static List<Leftover> list(Path dir) {
    List<Leftover> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : files.sorted().toList()) {
        Matcher m = LEFTOVER.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p)) {
          out.add(new Leftover(p, size(p), m.group(2)));
        }
      }
    } catch (IOException e) {
      return out;
    }
    return out;
  }

  /**
   * Removes the leftovers in {@code dir} whose owner is {@code target} ({@link #ownerTag}); other
   * databases' leftovers and leftovers without an owner stay. Only a run that holds {@code
   * target}'s run lock may call it: then no backup of {@code target} is being written, so every
   * such file is a leftover of an interrupted run.
   *
   * @param heldLock the run lock of {@code target} the caller holds (proof of the rule above)
   * @return what was removed and what could not be (with the reason); both empty when {@code dir}
   *     is null, missing or holds no leftover of {@code target}
   */
  public static Removal removeOwn(Path dir, DatabaseTarget target, RunLock heldLock) {
    Objects.requireNonNull(heldLock, "only the holder of the run lock may remove leftovers");
    List<Path> removed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    if (dir == null) {
      return new Removal(removed, problems);
    }
    String own = ownerTag(target);
    for (Leftover l : list(dir)) {
      if (!own.equals(l.owner())) {
        continue;
      }
      try {
        Files.deleteIfExists(l.file());
        removed.add(l.file());
      } catch (IOException e) {
        problems.add(l.file() + ": cannot delete: " + e.getMessage());
      }
    }
    return new Removal(removed, problems);
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
