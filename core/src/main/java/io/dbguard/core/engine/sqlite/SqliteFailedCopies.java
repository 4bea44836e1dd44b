package io.dbguard.core.engine.sqlite;

import static io.dbguard.core.engine.sqlite.SqliteFiles.FAILED_COPY_FILES;
import static io.dbguard.core.engine.sqlite.SqliteFiles.FAILED_INFIX;
import static io.dbguard.core.engine.sqlite.SqliteFiles.SIDECARS;
import static io.dbguard.core.engine.sqlite.SqliteFiles.STAMP;
import static io.dbguard.core.engine.sqlite.SqliteFiles.describe;

import io.dbguard.core.backup.SecureFiles;
import io.dbguard.core.engine.DatabaseEngine;
import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.FailedCopyPruning;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The failed copies ({@code <db file name>.failed-<stamp>[-N]}) restores keep beside a SQLite
 * database: naming, listing and retention. Part of {@link SqliteEngine}; see {@link
 * SqliteEngine#failedCopies}.
 */
final class SqliteFailedCopies {
  private final Path file;

  SqliteFailedCopies(Path file) {
    this.file = file;
  }

  /**
   * The name for a new failed copy: {@code <db>.failed-<stamp>}, or with {@code -2}, {@code -3}, …
   * when a copy made in the same second, or a sidecar it left ({@code -wal}, {@code -shm}, {@code
   * -journal}), already has that name. A leftover sidecar must never pair with a new copy: SQLite
   * would replay a stale {@code -wal} over it.
   */
  Path freeFailedCopyName() {
    String base = file.getFileName() + FAILED_INFIX + STAMP.format(Instant.now());
    Path candidate = file.resolveSibling(base);
    for (int n = 2; taken(candidate); n++) {
      candidate = file.resolveSibling(base + "-" + n);
    }
    return candidate;
  }

  private static boolean taken(Path copy) {
    return FAILED_COPY_FILES.stream()
        .anyMatch(suffix -> Files.exists(Path.of(copy + suffix), LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Creates the empty file (mode 0600) that receives the failed state, named by {@link
   * #freeFailedCopyName}; a name another process takes between the check and the creation is
   * skipped.
   */
  Path createFailedCopyFile() throws IOException {
    while (true) {
      try {
        return SecureFiles.createPrivateFile(freeFailedCopyName());
      } catch (FileAlreadyExistsException taken) {
        // taken meanwhile: look again
      }
    }
  }

  /**
   * The failed copies of this file, newest first: regular files (not symbolic links) in its
   * directory named {@code <file name>.failed-<yyyyMMdd'T'HHmmss'Z'>} with an optional {@code -N}
   * (N &ge; 2), whose stamp is a real UTC date and time, or such a name whose file is gone but
   * whose {@code -wal}, {@code -shm} or {@code -journal} is left.
   *
   * @return absolute paths
   * @throws DbguardException {@code FailedCopiesUnreadable} when the directory cannot be listed
   */
  List<String> failedCopies() {
    return FailedCopies.newestFirst(findFailedCopies()).stream()
        .map(FailedCopies.Copy::name)
        .toList();
  }

  /**
   * Deletes the failed copies beyond the newest {@code keep} (see {@link
   * DatabaseEngine#pruneFailedCopies}): each file, then its {@code -wal}, {@code -shm} and {@code
   * -journal}. A file that cannot be deleted is reported in {@link FailedCopyPruning#problems()}.
   */
  FailedCopyPruning pruneFailedCopies(int keep) {
    FailedCopies.requireKeep(keep);
    return FailedCopies.prune(findFailedCopies(), keep, SqliteFailedCopies::deleteFailedCopy);
  }

  private List<FailedCopies.Copy> findFailedCopies() {
    Pattern copyName =
        Pattern.compile(
            Pattern.quote(file.getFileName() + FAILED_INFIX)
                + "(\\d{8}T\\d{6}Z)(?:-([2-9]|[1-9]\\d{1,8}))?("
                + String.join("|", SIDECARS)
                + ")?");
    Map<String, FailedCopies.Copy> copies = new TreeMap<>();
    Path dir = file.getParent();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : (Iterable<Path>) entries::iterator) {
        Matcher m = copyName.matcher(p.getFileName().toString());
        if (!m.matches() || !FailedCopies.isStamp(m.group(1), STAMP)) {
          continue;
        }
        String path = p.toString();
        Path copy =
            Path.of(
                m.group(3) == null ? path : path.substring(0, path.length() - m.group(3).length()));
        // the copy is a regular file, or gone and this is a regular sidecar file it left
        boolean ours =
            Files.isRegularFile(copy, LinkOption.NOFOLLOW_LINKS)
                || (!Files.exists(copy, LinkOption.NOFOLLOW_LINKS)
                    && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
        if (ours) {
          copies.putIfAbsent(
              copy.toString(),
              new FailedCopies.Copy(
                  copy.toString(),
                  m.group(1),
                  m.group(2) == null ? 1 : Integer.parseInt(m.group(2))));
        }
      }
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DbguardException(
          "FailedCopiesUnreadable",
          "cannot list the failed copies of " + file + " in " + dir + ": " + describe(e),
          e);
    }
    return List.copyOf(copies.values());
  }

  /**
   * Deletes a failed copy, then its sidecars (regular files only); null when all are gone, else why
   * not. When the copy itself cannot be deleted its sidecars stay: its {@code -wal} may hold
   * committed pages of the copy.
   */
  private static String deleteFailedCopy(String copy) {
    for (String suffix : FAILED_COPY_FILES) {
      Path p = Path.of(copy + suffix);
      if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      try {
        Files.delete(p);
      } catch (NoSuchFileException gone) {
        // deleted meanwhile: fine
      } catch (IOException e) {
        String why =
            e instanceof java.nio.file.FileSystemException f && f.getReason() != null
                ? f.getReason()
                : describe(e);
        return copy + ": cannot delete " + p.getFileName() + ": " + why;
      }
    }
    return null;
  }
}
