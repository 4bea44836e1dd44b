package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.DeclaredColumns;
import io.dbguard.core.analysis.frontend.SqlFrontEnd;
import io.dbguard.core.analysis.model.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Column types declared by the SQL migrations before a file in its directory (the order Flyway,
 * golang-migrate and plain runners apply them), so that {@code ALTER COLUMN … TYPE} is judged from
 * the real previous type instead of a guess: {@code varchar(n) → text} is binary-coercible on
 * PostgreSQL (PostgreSQL manual, "ALTER TABLE": no rewrite when the old type is binary coercible to
 * the new one). Each file's declarations are cached by path, size and modification time.
 */
final class SqlHistory {

  /**
   * @param types the file's own declarations at its end ({@code table.column → type}; a {@code
   *     null} type when CREATE TABLE gave none dbguard reads)
   * @param moves the file's drops and renames, in order, applied to the earlier files' columns
   */
  private record Cached(
      long size, long modified, Map<String, String> types, List<Operation> moves) {}

  private static final Cached NONE = new Cached(0, 0, Map.of(), List.of());

  private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 20_000;
  private static final long MAX_FILE_BYTES = 4L << 20;

  private SqlHistory() {}

  /**
   * {@code ops} with the previous type filled into each {@code ChangeColumnType} whose previous
   * type the file itself does not know, when an earlier migration of the directory declares it.
   */
  static List<Operation> withPreviousTypes(Path file, String dialect, List<Operation> ops) {
    if (ops.stream()
        .noneMatch(
            o ->
                o instanceof Operation.ChangeColumnType c && c.oldType() == null
                    || o instanceof Operation.Insert i && i.copiedColumns() != null)) {
      return ops;
    }
    Map<String, String> known = before(file, dialect);
    // the columns each table has at each point of the file: earlier files, then this file's ops
    Map<String, String> columns = new java.util.LinkedHashMap<>(known);
    List<Operation> out = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      if (op instanceof Operation.CreateTable t) {
        columns.keySet().removeIf(k -> k.startsWith(t.table() + "."));
        t.columns().forEach(col -> columns.put(t.table() + "." + col, ""));
      } else {
        DeclaredColumns.replay(op, columns);
      }
      if (op instanceof Operation.Insert i
          && i.copiedColumns() != null
          && i.sourceTable() != null) {
        String prefix = i.sourceTable() + ".";
        List<String> source =
            columns.keySet().stream()
                .filter(k -> k.startsWith(prefix))
                .map(k -> k.substring(prefix.length()))
                .toList();
        out.add(
            new Operation.Insert(
                i.line(),
                i.table(),
                i.kind(),
                i.sourceTable(),
                i.copiedColumns(),
                source.isEmpty() ? null : source));
        continue;
      }
      if (op instanceof Operation.ChangeColumnType c
          && c.oldType() == null
          && known.get(c.table() + "." + c.column()) != null) {
        out.add(
            new Operation.ChangeColumnType(
                c.line(),
                c.table(),
                c.column(),
                known.get(c.table() + "." + c.column()),
                c.newType(),
                c.using(),
                c.declaredOnly()));
      } else {
        out.add(op);
      }
    }
    return out;
  }

  private static Map<String, String> before(Path file, String dialect) {
    Map<String, String> out = new HashMap<>();
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      return out;
    }
    String name = file.getFileName().toString();
    List<Path> earlier;
    try (Stream<Path> s = Files.list(dir)) {
      earlier =
          s.filter(p -> p.getFileName().toString().endsWith(".sql"))
              .filter(p -> !p.getFileName().toString().endsWith(".down.sql"))
              .filter(p -> Analyzer.natural(p.getFileName().toString(), name) < 0)
              .sorted(Analyzer.order())
              .toList();
    } catch (IOException e) {
      return out;
    }
    for (Path p : earlier) {
      Cached c = declared(p, dialect);
      c.moves().forEach(m -> DeclaredColumns.replay(m, out));
      out.putAll(c.types());
    }
    return out;
  }

  private static Cached declared(Path p, String dialect) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      if (!a.isRegularFile() || a.size() > MAX_FILE_BYTES) {
        return NONE;
      }
      long modified = a.lastModifiedTime().toMillis();
      Cached c = CACHE.get(p);
      if (c != null && c.size() == a.size() && c.modified() == modified) {
        return c;
      }
      SqlFrontEnd fe = new SqlFrontEnd(dialect);
      List<Operation> ops =
          fe.parse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8), 1).operations();
      List<Operation> moves =
          ops.stream()
              .filter(
                  o ->
                      o instanceof Operation.DropColumn
                          || o instanceof Operation.RenameColumn
                          || o instanceof Operation.RenameTable
                          || o instanceof Operation.DropTable)
              .toList();
      Cached fresh =
          new Cached(
              a.size(),
              modified,
              java.util.Collections.unmodifiableMap(new HashMap<>(fe.declaredTypes())),
              moves);
      if (CACHE.size() > MAX_CACHED) {
        CACHE.clear();
      }
      CACHE.put(p, fresh);
      return fresh;
    } catch (IOException | RuntimeException e) {
      return NONE;
    }
  }
}
