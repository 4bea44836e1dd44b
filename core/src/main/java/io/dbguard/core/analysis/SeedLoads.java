package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.DjangoFrontEnd;
import io.dbguard.core.analysis.frontend.PythonModuleFiles;
import io.dbguard.core.analysis.frontend.RailsClassFiles;
import io.dbguard.core.analysis.model.FileKind;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import io.dbguard.core.analysis.seed.SeedClassification;
import io.dbguard.core.analysis.seed.SeedClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a seed loads or hands its work to, followed to the files that do it: Ruby {@code load} /
 * {@code require_relative}, a class of the application ({@link
 * io.dbguard.core.analysis.frontend.RailsClassFiles}), Django {@code loaddata} fixtures and a
 * Python function of the project; each is replaced by one seed call carrying the classification of
 * what it runs. Part of {@link Analyzer}.
 */
final class SeedLoads {
  private SeedLoads() {}

  /** How many levels of loads are followed. */
  private static final int MAX_LOAD_DEPTH = 4;

  /**
   * Replaces each {@link Operation.LoadFile} of a seed (Ruby {@code load}, a class of the
   * application the seed hands its work to ({@link RailsClassFiles}), Django {@code loaddata}) by
   * one {@link Operation.SeedCall} carrying the classification of each loaded file (followed up to
   * {@value #MAX_LOAD_DEPTH} levels); a load that resolves to no file is a delegation (unknown).
   */
  static List<Operation> followLoads(
      Path file, List<Operation> ops, AnalysisOptions opts, int depth) throws IOException {
    List<Operation> out = new ArrayList<>();
    for (Operation op : ops) {
      if (!(op instanceof Operation.LoadFile load)) {
        out.add(op);
        continue;
      }
      if (load.pattern().startsWith(Operation.LoadFile.FUNCTION)) {
        if (depth == 0) {
          followFunction(file, load, opts).ifPresent(out::add);
        }
        continue;
      }
      List<Path> targets = depth < MAX_LOAD_DEPTH ? resolve(file, load) : List.of();
      if (targets.isEmpty() && load.pattern().startsWith("fixture:")) {
        out.add(
            new Operation.SeedCall(
                load.line(),
                null,
                Operation.SeedEffect.DELEGATED,
                load.text()
                    + " (fixture not found; loaddata is idempotent only with explicit pks)"));
        continue;
      }
      boolean isClass = load.pattern().startsWith(Operation.LoadFile.CLASS);
      if (targets.isEmpty()) {
        out.add(
            new Operation.SeedCall(
                load.line(),
                null,
                Operation.SeedEffect.DELEGATED,
                load.text()
                    + (isClass
                        ? " (no file of the application defines the class)"
                        : " (file not found)")));
        continue;
      }
      for (Path t : targets) {
        ParsedFile inner = Analyzer.parse(t, opts, true, depth + 1);
        if (inner == null) {
          continue;
        }
        SeedClassification sc = SeedClassifier.classify(inner);
        Operation.SeedEffect effect = effect(sc);
        out.add(
            new Operation.SeedCall(
                load.line(),
                null,
                effect,
                (isClass ? "runs code of " : "loads ")
                    + t.getFileName()
                    + " ("
                    + sc.reason()
                    + ")"));
      }
    }
    return out;
  }

  /**
   * The seed operation of a call of a Python function of the project ({@link
   * Operation.LoadFile#FUNCTION}): the function's body, read from the module file {@link
   * PythonModuleFiles} finds, classified as a seed of its own (its calls of further imported
   * functions are not followed); a delegation (unknown) when the module defines no such name. Empty
   * when the module is not in the project (a library), the name is a class or a value, or the
   * function writes nothing.
   */
  private static Optional<Operation> followFunction(
      Path file, Operation.LoadFile load, AnalysisOptions opts) throws IOException {
    String[] target = load.pattern().substring(Operation.LoadFile.FUNCTION.length()).split(":");
    Optional<Path> module = PythonModuleFiles.find(file, target[0]);
    if (module.isEmpty() || module.get().toAbsolutePath().equals(file.toAbsolutePath())) {
      return Optional.empty();
    }
    String src;
    try {
      src = new String(InputFiles.read(module.get(), opts.maxFileBytes()), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty(); // a module too large or unreadable: not read, as a library's
    }
    String name = module.get().getFileName().toString();
    switch (PythonModuleFiles.defines(src, target[1])) {
      case NOTHING -> {
        return Optional.of(
            new Operation.SeedCall(
                load.line(),
                null,
                Operation.SeedEffect.DELEGATED,
                load.text() + " (" + name + " defines no function " + target[1] + ")"));
      }
      case OTHER -> {
        return Optional.empty();
      }
      default -> {}
    }
    List<Operation> ops = new ArrayList<>();
    java.util.Set<String> params = PythonModuleFiles.parameters(src, target[1]);
    for (Operation op :
        new DjangoFrontEnd("app", true)
            .parse(PythonModuleFiles.function(src, target[1]))
            .operations()) {
      if (op instanceof Operation.LoadFile l
          && l.pattern().startsWith(Operation.LoadFile.FUNCTION)) {
        continue;
      }
      if (op instanceof Operation.SeedCall c
          && c.effect() == Operation.SeedEffect.DESTRUCTIVE
          && params.contains(PythonModuleFiles.receiverRoot(c.text()))) {
        // schedule.talks.filter(…).delete() on a record the caller passed in: business logic
        // on that record (the rows the seed itself made), not the seed wiping a table
        continue;
      }
      ops.add(op);
    }
    ops = followLoads(module.get(), ops, opts, 1);
    if (ops.isEmpty()) {
      return Optional.empty();
    }
    SeedClassification sc =
        SeedClassifier.classify(
            new ParsedFile(
                module.get().toString(),
                FileKind.SEED_PYTHON,
                "postgresql",
                "seed",
                false,
                ops,
                List.of(),
                ""));
    Operation.SeedEffect effect = effect(sc);
    boolean guardedCreate = load.guarded() && effect == Operation.SeedEffect.NON_IDEMPOTENT;
    return Optional.of(
        new Operation.SeedCall(
            load.line(),
            null,
            guardedCreate ? Operation.SeedEffect.IDEMPOTENT : effect,
            "runs "
                + target[1]
                + " of "
                + name
                + " ("
                + sc.reason()
                + ")"
                + (guardedCreate ? " only when the rows it creates do not exist (guarded)" : "")));
  }

  /** The seed effect of a file or function classified as {@code sc}. */
  private static Operation.SeedEffect effect(SeedClassification sc) {
    return switch (sc.idempotency()) {
      case DESTRUCTIVE -> Operation.SeedEffect.DESTRUCTIVE;
      case NON_IDEMPOTENT -> Operation.SeedEffect.NON_IDEMPOTENT;
      case UNKNOWN -> Operation.SeedEffect.DELEGATED;
      case IDEMPOTENT -> Operation.SeedEffect.IDEMPOTENT;
    };
  }

  /**
   * Files a load names: relative to the loading file or the application root; globs expanded;
   * {@code fixture:<name>} (Django {@code loaddata}) searched in every {@code fixtures/} directory
   * under the project (the nearest ancestor holding {@code manage.py}), with or without a {@code
   * .json/.yaml/.yml} extension.
   */
  private static List<Path> resolve(Path file, Operation.LoadFile load) throws IOException {
    Path base = file.toAbsolutePath().getParent();
    String pattern = load.pattern();
    if (pattern.startsWith(Operation.LoadFile.CLASS)) {
      return RailsClassFiles.find(file, pattern.substring(Operation.LoadFile.CLASS.length()))
          .map(List::of)
          .orElse(List.of());
    }
    if (pattern.startsWith("fixture:")) {
      String name = pattern.substring("fixture:".length());
      Path root = base;
      for (int up = 0;
          up < 4 && root != null && !Files.isRegularFile(root.resolve("manage.py"));
          up++) {
        root = root.getParent();
      }
      if (root == null || !Files.isRegularFile(root.resolve("manage.py"))) {
        root = base;
      }
      List<String> names = List.of(name, name + ".json", name + ".yaml", name + ".yml");
      try (Stream<Path> s = Files.walk(root, 6)) {
        return s.filter(Files::isRegularFile)
            .filter(
                x ->
                    x.getParent().getFileName() != null
                        && x.getParent().getFileName().toString().equals("fixtures")
                        && names.contains(x.getFileName().toString()))
            .sorted()
            .limit(1)
            .toList();
      }
    }
    if (!load.relativeToFile()) {
      Path root = base;
      while (root != null && !Files.isDirectory(root.resolve("db"))) {
        root = root.getParent();
      }
      base = root == null ? base : root;
    }
    if (!pattern.contains("*") && !pattern.endsWith(".rb") && !pattern.endsWith(".sql")) {
      pattern = pattern + ".rb";
    }
    if (!pattern.contains("*")) {
      Path t = base.resolve(pattern).normalize();
      return Files.isRegularFile(t) ? List.of(t) : List.of();
    }
    int star = pattern.indexOf('*');
    int slash = pattern.lastIndexOf('/', star);
    Path dir = base.resolve(slash < 0 ? "." : pattern.substring(0, slash)).normalize();
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(slash + 1));
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(x -> m.matches(x.getFileName()) && Files.isRegularFile(x))
          .filter(x -> !x.toAbsolutePath().normalize().equals(file.toAbsolutePath().normalize()))
          .sorted(Analyzer::compareForApply)
          .forEach(out::add);
    }
    return out;
  }
}
