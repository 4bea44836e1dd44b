package io.dbguard.core.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the file of each pending migration under the application's directory (the migration
 * command's working directory), by each framework's layout:
 *
 * <ul>
 *   <li>Django {@code app.0002_name}: {@code …/app/migrations/0002_name.py} (or the only {@code
 *       migrations/0002_name.py} when the app's directory is named otherwise);
 *   <li>Rails {@code 20261122101500}: {@code db/migrate/20261122101500_*.rb};
 *   <li>Prisma {@code 20261122101500_add_phone}: {@code
 *       …/migrations/20261122101500_add_phone/migration.sql};
 *   <li>Alembic {@code ae1027a6acf}: the {@code versions/*.py} file that declares {@code revision =
 *       'ae1027a6acf'}.
 * </ul>
 *
 * Directories that hold dependencies or build output ({@code .git}, {@code node_modules}, {@code
 * vendor}, virtual environments, {@code __pycache__}) are not searched, nor deeper than {@value
 * #MAX_DEPTH} levels.
 */
public final class MigrationFiles {
  /** Deepest directory level searched below the application's directory. */
  public static final int MAX_DEPTH = 8;

  private static final Set<String> SKIPPED =
      Set.of(
          ".git", "node_modules", "vendor", "venv", ".venv", "__pycache__", ".tox", "tmp", "log");

  private final List<Path> files;

  private MigrationFiles(List<Path> files) {
    this.files = files;
  }

  /**
   * Lists the candidate files under {@code root}.
   *
   * @throws UncheckedIOException when the directory cannot be read
   */
  public static MigrationFiles under(Path root) {
    List<Path> found = new ArrayList<>();
    if (root == null || !Files.isDirectory(root)) {
      return new MigrationFiles(found);
    }
    try {
      Files.walkFileTree(
          root,
          Set.of(),
          MAX_DEPTH,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              Path n = dir.getFileName();
              return n != null && !dir.equals(root) && SKIPPED.contains(n.toString())
                  ? FileVisitResult.SKIP_SUBTREE
                  : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String n = file.getFileName().toString();
              if (attrs.isRegularFile()
                  && (n.endsWith(".py")
                      || n.endsWith(".rb")
                      || n.endsWith(".sql")
                      || n.endsWith(".js")
                      || n.endsWith(".cjs")
                      || n.endsWith(".mjs")
                      || n.endsWith(".ts"))) {
                found.add(file.toAbsolutePath().normalize());
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    found.sort(null);
    return new MigrationFiles(found);
  }

  /** {@code pending} with the file of each migration set where one was found. */
  public List<PendingMigration> locate(Framework framework, List<PendingMigration> pending) {
    return pending.stream().map(p -> p.withFile(find(framework, p.id()))).toList();
  }

  Path find(Framework framework, String id) {
    return switch (framework) {
      case DJANGO -> django(id);
      case RAILS ->
          only(
              files.stream()
                  .filter(
                      f ->
                          parentIs(f, "migrate") && f.getFileName().toString().startsWith(id + "_"))
                  .filter(f -> f.getFileName().toString().endsWith(".rb"))
                  .toList());
      case PRISMA ->
          only(
              files.stream()
                  .filter(f -> f.getFileName().toString().equals("migration.sql"))
                  .filter(f -> parentIs(f, id))
                  .toList());
      case ALEMBIC -> alembic(id);
      case KNEX, SEQUELIZE ->
          only(
              files.stream()
                  .filter(f -> f.getFileName().toString().equals(id))
                  .filter(f -> parentIs(f, "migrations"))
                  .toList());
    };
  }

  private Path django(String id) {
    int dot = id.indexOf('.');
    if (dot < 0) {
      return null;
    }
    String app = id.substring(0, dot);
    String file = id.substring(dot + 1) + ".py";
    List<Path> named =
        files.stream()
            .filter(f -> f.getFileName().toString().equals(file) && parentIs(f, "migrations"))
            .toList();
    List<Path> ofApp =
        named.stream()
            .filter(f -> f.getParent().getParent() != null)
            .filter(f -> f.getParent().getParent().getFileName().toString().equals(app))
            .toList();
    return ofApp.size() == 1 ? ofApp.get(0) : only(named);
  }

  private Path alembic(String revision) {
    Pattern declares =
        Pattern.compile(
            "(?m)^revision(?:\\s*:\\s*str)?\\s*=\\s*['\"]" + Pattern.quote(revision) + "['\"]");
    List<Path> matches = new ArrayList<>();
    for (Path f : files) {
      if (!f.getFileName().toString().endsWith(".py") || !parentIs(f, "versions")) {
        continue;
      }
      try {
        if (declares.matcher(Files.readString(f, StandardCharsets.UTF_8)).find()) {
          matches.add(f);
        }
      } catch (IOException | UncheckedIOException e) {
        // unreadable: not this one
      }
    }
    return only(matches);
  }

  private static boolean parentIs(Path f, String name) {
    Path p = f.getParent();
    return p != null && p.getFileName() != null && p.getFileName().toString().equals(name);
  }

  private static Path only(List<Path> candidates) {
    return candidates.size() == 1 ? candidates.get(0) : null;
  }
}
