package io.dbguard.core.analysis.guard;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Recognises migrate commands that go <em>backwards</em>: Django {@code manage.py migrate APP
 * TARGET} and Rails {@code db:migrate VERSION=N}. A target is forwards only when it is the newest
 * migration of the app in the working directory (the state this deploy brings the database to); any
 * older target unapplies every later migration that is applied, and their reverse operations drop
 * tables and columns. When the migrations cannot be read (no working directory, as in the
 * operator's validation of the spec, or the app's directory is not found) the command is treated as
 * a rollback too: refused in a protected environment unless acknowledged.
 *
 * <p>This compares with the migrations on disk, not with the {@code django_migrations}/{@code
 * schema_migrations} rows of the database: a target equal to the newest file is forwards whatever
 * is applied; an older target is a rollback whenever any later migration is applied, which is the
 * normal state of a deployed application.
 */
final class BackwardsMigrations {

  private BackwardsMigrations() {}

  private static final Set<String> DJANGO = Set.of("manage.py", "django-admin", "django-admin.py");
  private static final Set<String> RAILS = Set.of("rake", "rails");

  /** The backwards entry matched by {@code words} (prefixes stripped), if any. */
  static Optional<DangerousCommand> check(List<String> words, Path workDir) {
    for (int i = 0; i < words.size(); i++) {
      String prog = ProductionGuard.program(words.get(i));
      List<String> args = words.subList(i + 1, words.size());
      if (DJANGO.contains(prog)) {
        return django(args, workDir);
      }
      if (RAILS.contains(prog)) {
        return rails(args, workDir);
      }
    }
    return Optional.empty();
  }

  private static Optional<DangerousCommand> django(List<String> args, Path workDir) {
    List<String> pos = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--database") || a.equals("--settings") || a.equals("--pythonpath")) {
        i++; // option with a separate value
      } else if (!a.startsWith("-")) {
        pos.add(a);
      }
    }
    if (pos.size() < 3 || !pos.get(0).equals("migrate") || pos.get(2).equals("zero")) {
      return Optional.empty(); // no target, or zero (DBG012)
    }
    String app = pos.get(1);
    String target = pos.get(2);
    Optional<String> newest = newestDjango(workDir, app);
    if (newest.isPresent() && newest.get().startsWith(target)) {
      return Optional.empty();
    }
    String why =
        newest
            .map(n -> "migrates " + app + " back to " + target + "; the newest migration is " + n)
            .orElse(
                "migrates "
                    + app
                    + " to "
                    + target
                    + "; "
                    + app
                    + "/migrations could not be read to tell forwards from backwards");
    return Optional.of(withReason(DangerousCommands.DJANGO_BACKWARDS, why));
  }

  private static Optional<DangerousCommand> rails(List<String> args, Path workDir) {
    boolean migrate = args.stream().anyMatch(a -> a.equals("db:migrate"));
    Optional<String> version =
        args.stream()
            .filter(a -> a.startsWith("VERSION="))
            .map(a -> a.substring("VERSION=".length()))
            .findFirst();
    if (!migrate || version.isEmpty() || version.get().matches("0+")) {
      return Optional.empty(); // VERSION=0 is DBG005
    }
    Optional<String> newest = newestRails(workDir);
    if (newest.isPresent() && compareVersions(version.get(), newest.get()) >= 0) {
      return Optional.empty();
    }
    String why =
        newest
            .map(n -> "VERSION=" + version.get() + " is older than the newest migration " + n)
            .orElse("db/migrate could not be read to tell forwards from backwards");
    return Optional.of(withReason(DangerousCommands.RAILS_VERSION_BACKWARDS, why));
  }

  private static DangerousCommand withReason(DangerousCommand d, String detail) {
    return new DangerousCommand(
        d.id(),
        d.name(),
        d.tools(),
        d.words(),
        d.anyArgs(),
        d.text(),
        d.reason() + " (" + detail + ")",
        d.examples());
  }

  /** Newest migration name of {@code app} under {@code workDir}: {@code 0004_add_price}. */
  private static Optional<String> newestDjango(Path workDir, String app) {
    if (workDir == null) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.walk(workDir, 6)) {
      List<Path> dirs =
          s.filter(Files::isDirectory)
              .filter(
                  d ->
                      d.getFileName() != null
                          && d.getFileName().toString().equals("migrations")
                          && d.getParent() != null
                          && d.getParent().getFileName() != null
                          && d.getParent().getFileName().toString().equals(app))
              .toList();
      return newestIn(dirs, ".py", "\\d{4}_.*");
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> newestRails(Path workDir) {
    if (workDir == null || !Files.isDirectory(workDir.resolve("db/migrate"))) {
      return Optional.empty();
    }
    try {
      return newestIn(List.of(workDir.resolve("db/migrate")), ".rb", "\\d+_.*")
          .map(n -> n.substring(0, n.indexOf('_')));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> newestIn(List<Path> dirs, String ext, String pattern)
      throws IOException {
    String newest = null;
    for (Path d : dirs) {
      try (Stream<Path> files = Files.list(d)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (!name.endsWith(ext)) {
            continue;
          }
          String stem = name.substring(0, name.length() - ext.length());
          if (stem.matches(pattern) && (newest == null || compareVersions(stem, newest) > 0)) {
            newest = stem;
          }
        }
      }
    }
    return Optional.ofNullable(newest);
  }

  /** Compares the leading digits numerically, then the names. */
  private static int compareVersions(String a, String b) {
    String da = a.replaceFirst("^(\\d*).*$", "$1");
    String db = b.replaceFirst("^(\\d*).*$", "$1");
    if (!da.isEmpty() && !db.isEmpty()) {
      int c = new java.math.BigInteger(da).compareTo(new java.math.BigInteger(db));
      if (c != 0) {
        return c;
      }
    }
    return a.toLowerCase(Locale.ROOT).compareTo(b.toLowerCase(Locale.ROOT));
  }
}
