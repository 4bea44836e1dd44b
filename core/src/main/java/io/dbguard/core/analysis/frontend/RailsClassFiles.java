package io.dbguard.core.analysis.frontend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The file of a Rails application that defines a class a seed hands its work to ({@code
 * EstateSeeder.seed!}, {@code Seeder.new.run}), by the autoloading convention of Rails (Zeitwerk:
 * the constant {@code EstateSeeder} lives in {@code estate_seeder.rb} under an autoload path such
 * as {@code app/services} or {@code app/lib}; {@code Admin::UserSeeder} in {@code
 * admin/user_seeder.rb}; Rails guides, "Autoloading and Reloading Constants"). {@code lib/} is
 * searched too. Models ({@code app/models}) are not returned: a model's class methods are read by
 * {@link RubySeedModels}.
 */
public final class RailsClassFiles {
  /** Directories below an autoload root searched at most this deep. */
  private static final int DEPTH = 6;

  private RailsClassFiles() {}

  /**
   * The file defining {@code className} in the application {@code seedFile} belongs to (the parent
   * of the nearest ancestor directory holding {@code db/}; for a rake file, {@code
   * lib/tasks/x.rake}, the parent of its {@code lib/}).
   *
   * @param seedFile the seed that names the class
   * @param className the constant as written, e.g. {@code EstateSeeder} or {@code Admin::Seeder}
   * @return the file, or empty when the application has none (or it is a model)
   * @throws IOException when a directory cannot be listed
   */
  public static Optional<Path> find(Path seedFile, String className) throws IOException {
    Path lib = RailsModels.rakeLib(seedFile);
    Path root = lib != null ? lib.getParent() : seedFile.toAbsolutePath().getParent();
    while (lib == null && root != null && !Files.isDirectory(root.resolve("db"))) {
      root = root.getParent();
    }
    if (root == null) {
      return Optional.empty();
    }
    String relative = underscore(className) + ".rb";
    Path models = root.resolve("app/models");
    Optional<Path> best = Optional.empty();
    for (String dir : new String[] {"app", "lib"}) {
      Path top = root.resolve(dir);
      if (!Files.isDirectory(top)) {
        continue;
      }
      try (Stream<Path> s = Files.walk(top, DEPTH)) {
        Optional<Path> found =
            s.filter(p -> p.endsWith(relative) && !p.startsWith(models))
                .filter(Files::isRegularFile)
                .min(Comparator.comparingInt(Path::getNameCount).thenComparing(Path::toString));
        if (found.isPresent()) {
          best = found;
          break;
        }
      }
    }
    return best;
  }

  /**
   * A constant's file name as Rails derives it ({@code ActiveSupport::Inflector#underscore}):
   * {@code EstateSeeder} → {@code estate_seeder}, {@code HTTPSeeder} → {@code http_seeder}, {@code
   * Admin::UserSeeder} → {@code admin/user_seeder}.
   */
  static String underscore(String constant) {
    return constant
        .replace("::", "/")
        .replaceAll("([A-Z\\d]+)([A-Z][a-z])", "$1_$2")
        .replaceAll("([a-z\\d])([A-Z])", "$1_$2")
        .toLowerCase(Locale.ROOT);
  }
}
