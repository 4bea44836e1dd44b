package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.DeclaredColumns;
import io.dbguard.core.analysis.frontend.RubyFrontEnd;
import io.dbguard.core.analysis.model.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Column types declared by the Rails migrations before a file in its {@code db/migrate} directory
 * (applied in version order), so that {@code change_column} is judged from the column's real
 * previous type: {@code change_column :t, :c, :string, null: false} on a column created as {@code
 * t.string} changes no type (only NULL), and {@code string → text} is binary-coercible on
 * PostgreSQL. The earlier migrations are replayed in order ({@code create_table} columns, {@code
 * add_column}, {@code change_column}, {@code rename_column}, {@code remove_column}, {@code
 * rename_table}, {@code drop_table}); what they do in {@code def down} is not part of the history.
 * Each file's operations are cached by path, size and modification time.
 */
final class RailsHistory {

  private record Cached(long size, long modified, List<Operation> ops) {}

  private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 20_000;
  private static final long MAX_FILE_BYTES = 4L << 20;

  private RailsHistory() {}

  /**
   * {@code ops} with the previous type filled into each {@code ChangeColumnType} whose previous
   * type the file does not know: from the earlier migrations of the directory when they declare it,
   * else from the type the file's down direction changes the column back to ({@code downTypes}, see
   * {@link RubyFrontEnd#downTypes}), named in the finding as {@code "the down method"}.
   *
   * @param file the migration being analysed ({@code db/migrate/<version>_<name>.rb})
   * @param ops its operations, in order
   * @param downTypes the down direction's type of each {@code table.column} it changes
   * @return {@code ops} itself when nothing is filled in, else a new list of the same size
   */
  static List<Operation> withPreviousTypes(
      Path file, List<Operation> ops, Map<String, String> downTypes) {
    if (ops.stream()
        .noneMatch(o -> o instanceof Operation.ChangeColumnType c && c.oldType() == null)) {
      return ops;
    }
    Map<String, String> known = before(file);
    List<Operation> out = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      String key = op instanceof Operation.ChangeColumnType c ? c.table() + "." + c.column() : null;
      if (op instanceof Operation.ChangeColumnType c
          && c.oldType() == null
          && known.containsKey(key)) {
        out.add(c.withOldType(known.get(key)));
      } else if (op instanceof Operation.ChangeColumnType c
          && c.oldType() == null
          && downTypes.get(key) != null) {
        out.add(c.withOldTypeFrom(downTypes.get(key), "the down method"));
      } else {
        out.add(op);
      }
      replay(op, known);
    }
    return out;
  }

  /**
   * {@code ops} preceded by an {@link Operation.AddedByPrevious} for each column the directory's
   * immediately preceding migration added to an existing table, nullable and without a default,
   * when {@code ops} has an update without a real WHERE that names the columns it sets.
   *
   * @param file the migration being analysed ({@code db/migrate/<version>_<name>.rb})
   * @return {@code ops} itself when there is nothing to note, else a new list
   */
  static List<Operation> withPreviousAdditions(Path file, List<Operation> ops) {
    if (ops.stream()
        .noneMatch(
            o ->
                o instanceof Operation.Update u
                    && u.where() != Operation.Where.REAL
                    && u.columns() != null)) {
      return ops;
    }
    List<Path> earlier = earlier(file);
    if (earlier.isEmpty()) {
      return ops;
    }
    Path previous = earlier.get(earlier.size() - 1);
    List<Operation> declared = declared(previous);
    java.util.Set<String> createdThere = new java.util.HashSet<>();
    declared.forEach(
        o -> {
          if (o instanceof Operation.CreateTable c) {
            createdThere.add(c.table());
          }
        });
    List<Operation> out = new ArrayList<>();
    for (Operation op : declared) {
      if (op instanceof Operation.AddColumn a
          && !a.notNull()
          && a.defaultExpr() == null
          && !a.ifNotExists()
          && !createdThere.contains(a.table())) {
        out.add(
            new Operation.AddedByPrevious(
                1,
                a.table(),
                a.column().toLowerCase(java.util.Locale.ROOT),
                previous.getFileName().toString()));
      }
    }
    if (out.isEmpty()) {
      return ops;
    }
    out.addAll(ops);
    return out;
  }

  private static Map<String, String> before(Path file) {
    Map<String, String> out = new HashMap<>();
    for (Path p : earlier(file)) {
      for (Operation op : declared(p)) {
        replay(op, out);
      }
    }
    return out;
  }

  /** The directory's migrations before {@code file}, in run order; empty when unreadable. */
  private static List<Path> earlier(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null) {
      return List.of();
    }
    String name = file.getFileName().toString();
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("\\d+_.*\\.rb"))
          .filter(p -> Analyzer.natural(p.getFileName().toString(), name) < 0)
          .sorted(Analyzer.order())
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** Applies one operation to the {@code table.column → type} map. */
  private static void replay(Operation op, Map<String, String> types) {
    if (op instanceof Operation.CreateTable c) {
      types.keySet().removeIf(k -> k.startsWith(c.table() + "."));
    } else {
      DeclaredColumns.replay(op, types);
    }
  }

  private static List<Operation> declared(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      if (!a.isRegularFile() || a.size() > MAX_FILE_BYTES) {
        return List.of();
      }
      long modified = a.lastModifiedTime().toMillis();
      Cached c = CACHE.get(p);
      if (c != null && c.size() == a.size() && c.modified() == modified) {
        return c.ops();
      }
      RubyFrontEnd fe = new RubyFrontEnd(false);
      List<Operation> ops =
          new ArrayList<>(
              fe.parse(new String(Files.readAllBytes(p), StandardCharsets.UTF_8)).operations());
      // a create_table's columns follow the CreateTable that starts it (stable by line)
      ops.addAll(fe.tableColumns());
      if (madeBeforeRails42(p.getFileName().toString())) {
        ops.replaceAll(RailsHistory::withOldStringLimit);
      }
      ops.sort(Comparator.comparingInt(RailsHistory::rank));
      List<Operation> kept = List.copyOf(ops);
      if (CACHE.size() > MAX_CACHED) {
        CACHE.clear();
      }
      CACHE.put(p, new Cached(a.size(), modified, kept));
      return kept;
    } catch (IOException | RuntimeException e) {
      return List.of(); // unreadable or unparsable: contributes nothing
    }
  }

  /**
   * Whether a migration was written before Rails 4.2 (released 2014-12-19): a numbered migration
   * ({@code 049_track_things.rb}, Rails before 2.1) or a timestamp before 2014-12-20. Until 4.2 the
   * PostgreSQL adapter created {@code string} without {@code limit:} as {@code character
   * varying(255)} (Rails 4.2 release notes: "the PostgreSQL adapter no longer sets a default limit
   * of 255 for string columns"), so such a column is still {@code varchar(255)} in the database.
   */
  static boolean madeBeforeRails42(String fileName) {
    int end = 0;
    while (end < fileName.length() && Character.isDigit(fileName.charAt(end))) {
      end++;
    }
    if (end == 0 || end >= fileName.length() || fileName.charAt(end) != '_') {
      return false;
    }
    String version = fileName.substring(0, end);
    return version.length() < 14 || version.compareTo("20141220000000") < 0;
  }

  /** {@code string} without a limit as Rails before 4.2 created it: {@code varchar(255)}. */
  private static Operation withOldStringLimit(Operation op) {
    if (op instanceof Operation.AddColumn a && "varchar".equals(a.type())) {
      return new Operation.AddColumn(
          a.line(),
          a.table(),
          a.column(),
          "varchar(255)",
          a.notNull(),
          a.defaultExpr(),
          a.generatedStored(),
          a.ifNotExists(),
          a.generated());
    }
    if (op instanceof Operation.ChangeColumnType c && "varchar".equals(c.newType())) {
      return new Operation.ChangeColumnType(
          c.line(),
          c.table(),
          c.column(),
          c.oldType(),
          "varchar(255)",
          c.using(),
          c.declaredOnly());
    }
    return op;
  }

  /** Line order, a table's creation before the columns its block declares on the same line. */
  private static int rank(Operation op) {
    return op.line() * 2 + (op instanceof Operation.CreateTable ? 0 : 1);
  }
}
