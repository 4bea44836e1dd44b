package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.DjangoFields;
import io.dbguard.core.analysis.frontend.DjangoFrontEnd;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The field shapes a Django app's earlier migrations declare: every {@code NNNN_*.py} beside a
 * migration that sorts before it (applied in that order by Django within one app), whether or not
 * it is part of the analysed batch. Each file's own declarations are cached by path, size and
 * modification time, so analysing the files of a directory one by one stays linear.
 */
final class DjangoHistory {

  private record Cached(long size, long modified, DjangoFields fields) {}

  private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 20_000;
  private static final long MAX_FILE_BYTES = 4L << 20;

  private DjangoHistory() {}

  /** Shapes declared by the migrations before {@code file} in its directory (never null). */
  static DjangoFields before(Path file, String app) {
    DjangoFields out = new DjangoFields();
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      return out;
    }
    String name = file.getFileName().toString();
    List<Path> earlier;
    try (Stream<Path> s = Files.list(dir)) {
      earlier =
          s.filter(p -> p.getFileName().toString().matches("\\d+_.*\\.py"))
              .filter(p -> Analyzer.natural(p.getFileName().toString(), name) < 0)
              .sorted(Analyzer.order())
              .toList();
    } catch (IOException e) {
      return out;
    }
    for (Path p : earlier) {
      out.putAll(declared(p, app));
    }
    return out;
  }

  private static DjangoFields declared(Path p, String app) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      if (!a.isRegularFile() || a.size() > MAX_FILE_BYTES) {
        return new DjangoFields();
      }
      long modified = a.lastModifiedTime().toMillis();
      Cached c = CACHE.get(p);
      if (c != null && c.size() == a.size() && c.modified() == modified) {
        return c.fields();
      }
      String src = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
      DjangoFrontEnd fe = new DjangoFrontEnd(app, false);
      fe.parse(src);
      if (CACHE.size() > MAX_CACHED) {
        CACHE.clear();
      }
      CACHE.put(p, new Cached(a.size(), modified, fe.declared()));
      return fe.declared();
    } catch (IOException | RuntimeException e) {
      return new DjangoFields(); // unreadable or unparsable: contributes nothing
    }
  }
}
