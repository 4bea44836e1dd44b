package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.DjangoFields;
import io.dbguard.core.analysis.frontend.DjangoFrontEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The field shapes a Django app's earlier migrations declare, read from the {@code NNNN_*.py} files
 * beside a migration (whether or not they are part of the analysed batch) and replayed in the order
 * Django applies them: the migration's ancestors through the {@code dependencies} that name a file
 * of the same directory, parents before children (in the order each file lists them). When that
 * chain is broken — a same-app dependency names a file that is not there, or the migration declares
 * none — every file whose name sorts before it is replayed in file-name order instead. Each file's
 * own declarations and dependencies are cached by path, size and modification time, so analysing
 * the files of a directory one by one stays linear.
 */
final class DjangoHistory {

  private record Declared(DjangoFields fields, List<List<String>> dependencies) {}

  private record Cached(long size, long modified, Declared declared) {}

  private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 20_000;
  private static final long MAX_FILE_BYTES = 4L << 20;
  private static final Declared NOTHING = new Declared(new DjangoFields(), List.of());

  private DjangoHistory() {}

  /** Shapes declared by the migrations applied before {@code file} (never null). */
  static DjangoFields before(Path file, String app) {
    DjangoFields out = new DjangoFields();
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      return out;
    }
    for (Path p : earlier(file.toAbsolutePath(), dir, app)) {
      out.putAll(declared(p, app).fields());
    }
    return out;
  }

  /** The files applied before {@code file}, in application order. */
  static List<Path> earlier(Path file, Path dir, String app) {
    List<Path> byDependencies = ancestors(file, dir, app);
    if (byDependencies != null) {
      return byDependencies;
    }
    String name = file.getFileName().toString();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d+_.*\\.py"))
          .filter(p -> Analyzer.natural(p.getFileName().toString(), name) < 0)
          .sorted(Analyzer.order())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * The ancestors of {@code file} through same-directory dependencies, parents first; {@code null}
   * when the chain is broken (a same-app dependency without its file) or {@code file} declares no
   * same-app dependency and is not its app's first migration.
   */
  private static List<Path> ancestors(Path file, Path dir, String app) {
    List<List<String>> deps = declared(file, app).dependencies();
    Set<String> labels = new HashSet<>();
    labels.add(app);
    if (deps.stream().noneMatch(d -> d.get(0).equals(app))) {
      // the app label differs from the directory name: learn it from a dependency whose file is
      // here
      for (List<String> d : deps) {
        if (Files.isRegularFile(dir.resolve(d.get(1) + ".py"))) {
          labels.add(d.get(0));
        }
      }
    }
    boolean sameApp = deps.stream().anyMatch(d -> labels.contains(d.get(0)));
    if (!sameApp) {
      return file.getFileName().toString().startsWith("0001") ? List.of() : null;
    }
    List<Path> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    seen.add(file);
    return visit(deps, dir, app, labels, seen, out) ? out : null;
  }

  private static boolean visit(
      List<List<String>> deps,
      Path dir,
      String app,
      Set<String> labels,
      Set<Path> seen,
      List<Path> out) {
    for (List<String> d : deps) {
      if (!labels.contains(d.get(0)) || d.get(1).startsWith("__")) {
        continue; // another app, or __first__ / __latest__
      }
      Path p = dir.resolve(d.get(1) + ".py");
      if (!seen.add(p)) {
        continue;
      }
      if (!Files.isRegularFile(p)) {
        return false;
      }
      if (!visit(declared(p, app).dependencies(), dir, app, labels, seen, out)) {
        return false;
      }
      out.add(p);
    }
    return true;
  }

  private static Declared declared(Path p, String app) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      if (!a.isRegularFile() || a.size() > MAX_FILE_BYTES) {
        return NOTHING;
      }
      long modified = a.lastModifiedTime().toMillis();
      Cached c = CACHE.get(p);
      if (c != null && c.size() == a.size() && c.modified() == modified) {
        return c.declared();
      }
      String src = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      DjangoFrontEnd fe = new DjangoFrontEnd(app, false);
      fe.parse(src);
      if (CACHE.size() > MAX_CACHED) {
        CACHE.clear();
      }
      Declared d = new Declared(fe.declared(), fe.dependencies());
      CACHE.put(p, new Cached(a.size(), modified, d));
      return d;
    } catch (IOException | RuntimeException e) {
      return NOTHING; // unreadable or unparsable: contributes nothing
    }
  }
}
