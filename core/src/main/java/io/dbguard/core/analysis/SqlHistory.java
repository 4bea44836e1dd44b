package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.DeclaredColumns;
import io.dbguard.core.analysis.frontend.SqlDelightText;
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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Column types declared by the SQL migrations before a file — in its directory, in the order
 * Flyway, golang-migrate and plain runners apply them, and in the sibling version directories
 * before its own ({@code v1.7/schema.sql} beside {@code v1.8/}, Prisma's {@code
 * <timestamp>_<name>/migration.sql}, Diesel's {@code <timestamp>_<name>/up.sql}) — so that {@code
 * ALTER COLUMN … TYPE} is judged from the real previous type instead of a guess: {@code varchar(n)
 * → text} is binary-coercible on PostgreSQL (PostgreSQL manual, "ALTER TABLE": no rewrite when the
 * old type is binary coercible to the new one) — and which columns they leave NOT NULL, so that a
 * {@code SET NOT NULL} of such a column is seen as the no-op it is. Each file's declarations are
 * cached by path, size and modification time.
 */
final class SqlHistory {

  /**
   * @param types the file's own declarations at its end ({@code table.column → type}; a {@code
   *     null} type when CREATE TABLE gave none dbguard reads)
   * @param moves the file's drops, renames and DROP NOT NULLs, in order, applied to the earlier
   *     files' columns
   * @param generated the file's own generated columns at its end ({@code table.column})
   * @param tables the tables the file creates: name → declared {@code PARTITION BY}
   * @param notNull the file's own NOT NULL columns at its end ({@code table.column})
   * @param constraints the file's named constraints at its end: name → kind
   */
  private record Cached(
      long size,
      long modified,
      Map<String, String> types,
      List<Operation> moves,
      Set<String> generated,
      Map<String, Boolean> tables,
      Set<String> notNull,
      Map<String, Operation.ConstraintKind> constraints) {}

  private static final Cached NONE =
      new Cached(0, 0, Map.of(), List.of(), Set.of(), Map.of(), Set.of(), Map.of());

  /**
   * The columns the earlier migrations leave.
   *
   * @param types {@code table.column → type}
   * @param generated {@code table.column} of the generated ones
   * @param tables the tables they create: name → partitioned
   * @param notNull {@code table.column} of the NOT NULL ones
   * @param constraints the named constraints they declare: name → kind
   */
  private record Earlier(
      Map<String, String> types,
      Set<String> generated,
      Map<String, Boolean> tables,
      Set<String> notNull,
      Map<String, Operation.ConstraintKind> constraints) {}

  private static final Map<Path, Cached> CACHE = new ConcurrentHashMap<>();
  private static final int MAX_CACHED = 20_000;
  private static final long MAX_FILE_BYTES = 4L << 20;

  private SqlHistory() {}

  /**
   * {@code ops} with the previous type filled into each {@code ChangeColumnType} whose previous
   * type the file itself does not know, when an earlier migration of the directory declares it, and
   * without each {@code SET NOT NULL} of a column the earlier migrations or the file's earlier
   * statements leave NOT NULL already (PostgreSQL does nothing then, not even scan the table). A
   * type change whose column the earlier migrations do not declare takes as previous type the one
   * the file's down section gives the column back ({@code downTypes}, by {@code table.column}),
   * named in the finding as {@code "the down section"}. A {@code DROP CONSTRAINT} of a constraint
   * the file does not declare takes the kind an earlier migration declares it with.
   */
  static List<Operation> withPreviousTypes(
      Path file, String dialect, List<Operation> ops, Map<String, String> downTypes) {
    if (ops.stream()
        .noneMatch(
            o ->
                o instanceof Operation.ChangeColumnType c && c.oldType() == null
                    || o instanceof Operation.Insert i && i.copiedColumns() != null
                    || o instanceof Operation.Update u && !u.casts().isEmpty()
                    || o instanceof Operation.CreateIndex ci && ci.onlyParent()
                    || o instanceof Operation.SetNotNull
                    || o instanceof Operation.DropConstraint d && d.kind() == null)) {
      return ops;
    }
    Earlier earlier = before(file, dialect);
    Map<String, String> known = earlier.types();
    // the columns each table has at each point of the file: earlier files, then this file's ops
    Map<String, String> columns = new java.util.LinkedHashMap<>(known);
    Set<String> generated = new java.util.HashSet<>(earlier.generated());
    Map<String, Boolean> tables = new HashMap<>(earlier.tables());
    Set<String> notNull = new java.util.HashSet<>(earlier.notNull());
    List<Operation> out = new ArrayList<>(ops.size());
    for (Operation op : ops) {
      if (op instanceof Operation.SetNotNull s && notNull.contains(s.table() + "." + s.column())) {
        continue; // NOT NULL already: a no-op
      }
      if (op instanceof Operation.DropConstraint d
          && d.kind() == null
          && earlier.constraints().get(d.name()) != null) {
        out.add(
            new Operation.DropConstraint(
                d.line(), d.table(), d.name(), earlier.constraints().get(d.name())));
        continue;
      }
      DeclaredColumns.replayNotNull(op, notNull);
      replayTables(op, tables);
      if (op instanceof Operation.CreateIndex ci
          && ci.onlyParent()
          && Boolean.FALSE.equals(tables.get(ci.table()))) {
        // ON ONLY a table the history shows plain: the index is built as without ONLY
        out.add(
            new Operation.CreateIndex(
                ci.line(), ci.table(), ci.name(), ci.unique(), ci.concurrently(), false));
        continue;
      }
      if (op instanceof Operation.CreateTable t) {
        columns.keySet().removeIf(k -> k.startsWith(t.table() + "."));
        t.columns().forEach(col -> columns.put(t.table() + "." + col, ""));
      } else {
        DeclaredColumns.replay(op, columns);
      }
      DeclaredColumns.replayGenerated(op, generated);
      if (op instanceof Operation.Insert i
          && i.copiedColumns() != null
          && i.sourceTable() != null) {
        out.add(withSourceColumns(i, columns, generated));
        continue;
      }
      if (op instanceof Operation.Update u && !u.casts().isEmpty()) {
        Map<String, Operation.CastCopy> casts = new java.util.LinkedHashMap<>();
        u.casts().forEach((k, c) -> casts.put(k, withSourceType(c, u.table(), columns)));
        out.add(
            new Operation.Update(
                u.line(),
                u.table(),
                u.where(),
                u.orm(),
                u.backfill(),
                u.columns(),
                u.copies(),
                u.joined(),
                Map.copyOf(casts)));
        continue;
      }
      if (op instanceof Operation.ChangeColumnType c
          && c.oldType() == null
          && known.get(c.table() + "." + c.column()) != null) {
        out.add(c.withOldType(known.get(c.table() + "." + c.column())));
      } else if (op instanceof Operation.ChangeColumnType c
          && c.oldType() == null
          && !known.containsKey(c.table() + "." + c.column())
          && downTypes.get(c.table() + "." + c.column()) != null) {
        out.add(c.withOldTypeFrom(downTypes.get(c.table() + "." + c.column()), "the down section"));
      } else {
        out.add(op);
      }
    }
    return out;
  }

  /**
   * {@code i} with the columns its source table has at this point and those of them that are
   * generated in the source or the target table ({@code columns}, {@code generated}: {@code
   * table.column} keys). When the copy reads a column the history does not know for the source
   * table ({@link #unknownCopied}), the source table has that column too.
   */
  private static Operation.Insert withSourceColumns(
      Operation.Insert i, Map<String, String> columns, Set<String> generated) {
    String prefix = i.sourceTable() + ".";
    List<String> known =
        columns.keySet().stream()
            .filter(k -> k.startsWith(prefix))
            .map(k -> k.substring(prefix.length()))
            .toList();
    // the columns it reads are the table's too; a column the history lists and the copy leaves
    // behind may have been dropped by a migration not read, or may be lost now: it stays reported
    // (a refusal to acknowledge is recoverable, a loss not reported is not)
    List<String> source = new ArrayList<>(known);
    source.addAll(unknownCopied(known, i.copiedColumns()));
    List<String> computed =
        source.stream()
            .filter(c -> generated.contains(prefix + c) || generated.contains(i.table() + "." + c))
            .toList();
    return new Operation.Insert(
        i.line(),
        i.table(),
        i.kind(),
        i.sourceTable(),
        i.copiedColumns(),
        source.isEmpty() ? null : source,
        computed,
        i.casts().stream().map(c -> withSourceType(c, i.sourceTable(), columns)).toList(),
        i.targetColumns());
  }

  /** The names of SQLite's implicit rowid column, which no table declares. */
  private static final Set<String> ROWID = Set.of("rowid", "oid", "_rowid_");

  /**
   * The columns a copy reads ({@code copied}: by name, inside expressions too; {@code *} proves
   * nothing) of a table whose history lists {@code known}, that the history does not know: the
   * table must have them (SQLite rejects an unknown column), so earlier migrations dbguard does not
   * read (templated files, migrations removed since) added them. Empty when the history knows no
   * column of the table.
   */
  private static List<String> unknownCopied(List<String> known, List<String> copied) {
    if (known.isEmpty() || copied == null || copied.contains("*")) {
      return List.of();
    }
    Set<String> names = new java.util.HashSet<>();
    known.forEach(k -> names.add(k.toLowerCase(Locale.ROOT)));
    return copied.stream()
        .filter(
            c ->
                names.add(c.toLowerCase(Locale.ROOT))
                    && !ROWID.contains(c.toLowerCase(Locale.ROOT)))
        .toList();
  }

  /**
   * {@code c} with the declared type of its column in {@code table} ({@code columns}: {@code
   * table.column → type}, {@code ""} or {@code null} when not known), when known.
   */
  private static Operation.CastCopy withSourceType(
      Operation.CastCopy c, String table, Map<String, String> columns) {
    String type = columns.get(table + "." + c.column());
    return c.sourceType() != null || type == null || type.isEmpty() ? c : c.withSourceType(type);
  }

  private static Earlier before(Path file, String dialect) {
    Map<String, String> out = new HashMap<>();
    Set<String> generated = new java.util.HashSet<>();
    Map<String, Boolean> tables = new HashMap<>();
    Set<String> notNull = new java.util.HashSet<>();
    Map<String, Operation.ConstraintKind> constraints = new HashMap<>();
    for (Path p : earlierFiles(file)) {
      Cached c = declared(p, dialect);
      c.moves().forEach(m -> DeclaredColumns.replay(m, out));
      c.moves().forEach(m -> DeclaredColumns.replayGenerated(m, generated));
      c.moves().forEach(m -> replayTables(m, tables));
      c.moves().forEach(m -> DeclaredColumns.replayNotNull(m, notNull));
      out.putAll(c.types());
      generated.addAll(c.generated());
      tables.putAll(c.tables());
      notNull.addAll(c.notNull());
      constraints.putAll(c.constraints());
    }
    return new Earlier(out, generated, tables, notNull, constraints);
  }

  /**
   * Applies a CREATE, DROP or RENAME of a table to {@code tables} (name → partitioned), in place.
   */
  private static void replayTables(Operation op, Map<String, Boolean> tables) {
    if (op instanceof Operation.CreateTable c) {
      tables.put(c.table(), c.partitioned());
    } else if (op instanceof Operation.DropTable d) {
      tables.remove(d.table());
    } else if (op instanceof Operation.RenameTable r && tables.containsKey(r.table())) {
      tables.put(r.newName(), tables.remove(r.table()));
    }
  }

  /**
   * The SQL migrations applied before {@code file}, in application order: first the files of the
   * sibling version directories that sort before its own (when its directory is one of a run of
   * version directories, see {@link #VERSION_DIR}), then the files of its own directory that sort
   * before it. Down and undo files are never earlier migrations, and neither is a schema dump
   * ({@code schema.sql}, {@code structure.sql}) in the file's own directory: it holds the state
   * after the migrations beside it, so its types would hide their changes (in an earlier sibling
   * version directory it is that version's state, and is read).
   */
  static List<Path> earlierFiles(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    if (dir == null || dir.getFileName() == null) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    String dirName = dir.getFileName().toString();
    Path parent = dir.getParent();
    String name = file.getFileName().toString();
    String engine = engineOf(name);
    if (parent != null && VERSION_DIR.matcher(dirName).matches()) {
      for (Path sibling : listing(parent).dirs()) {
        String n = sibling.getFileName().toString();
        if (VERSION_DIR.matcher(n).matches() && Analyzer.natural(n, dirName) < 0) {
          for (Path p : listing(sibling).sqlFiles()) {
            if (sameEngine(engine, p)) {
              out.add(p);
            }
          }
        }
      }
    }
    for (Path p : listing(dir).sqlFiles()) {
      String n = p.getFileName().toString();
      if (Analyzer.natural(n, name) < 0 && !DUMP.matcher(n).matches() && sameEngine(engine, p)) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * A database engine named in a file name ({@code openfire_postgresql.sql}, {@code 2.0_mysql.sql},
   * {@code schema.sqlite.sql}): projects that support several engines keep one variant of each
   * migration per engine side by side, and only the variant of the file's own engine ever runs
   * before it.
   */
  private static final Pattern ENGINE =
      Pattern.compile(
          "(?i)(?:^|[._-])(postgres(?:ql)?|pgsql|pg|mysql|mariadb|oracle|sqlite3?|hsqldb|h2|db2"
              + "|sqlserver|mssql|sybase|derby|firebird|informix)(?=[._-])");

  /** The engine a file name names, lower case, or null. */
  static String engineOf(String fileName) {
    Matcher m = ENGINE.matcher(fileName);
    if (!m.find()) {
      return null;
    }
    String e = m.group(1).toLowerCase(Locale.ROOT);
    return e.startsWith("postgres") || e.equals("pgsql") || e.equals("pg")
        ? "postgresql"
        : e.startsWith("sqlite") ? "sqlite" : e;
  }

  /** Whether {@code p} may run on the engine {@code engine} names (null: any). */
  private static boolean sameEngine(String engine, Path p) {
    String other = engineOf(p.getFileName().toString());
    return engine == null || other == null || other.equals(engine);
  }

  /**
   * A directory whose name starts with a version: {@code v1.7}, {@code 2}, {@code
   * 20240101000000_init} (Prisma), {@code 2024-01-01-000000_create_users} (Diesel).
   */
  static final Pattern VERSION_DIR = Pattern.compile("(?i)v?\\d.*");

  /** A schema dump: the state of the database at its directory's version. */
  private static final Pattern DUMP = Pattern.compile("(?i)(?:schema|structure)\\.sql");

  /**
   * @param modified the directory's modification time when listed (entries added or removed change
   *     it)
   * @param dirs its subdirectories, naturally sorted
   * @param sqlFiles its up migrations ({@code .sql}, no down or undo files), in application order
   */
  private record Listing(long modified, List<Path> dirs, List<Path> sqlFiles) {}

  private static final Listing EMPTY = new Listing(0, List.of(), List.of());
  private static final Map<Path, Listing> LISTINGS = new ConcurrentHashMap<>();

  private static Listing listing(Path dir) {
    try {
      long modified = Files.getLastModifiedTime(dir).toMillis();
      Listing l = LISTINGS.get(dir);
      if (l != null && l.modified() == modified) {
        return l;
      }
      List<Path> dirs = new ArrayList<>();
      List<Path> sql = new ArrayList<>();
      try (Stream<Path> s = Files.list(dir)) {
        s.forEach(
            p -> {
              String n = p.getFileName().toString();
              if (Files.isDirectory(p)) {
                dirs.add(p);
              } else if (n.toLowerCase(Locale.ROOT).endsWith(".sql") && !FileClassifier.isDown(n)
                  || SqlDelightText.isMigration(n)) {
                sql.add(p);
              }
            });
      }
      dirs.sort((a, b) -> Analyzer.natural(a.getFileName().toString(), b.getFileName().toString()));
      sql.sort(Analyzer.order());
      Listing fresh = new Listing(modified, List.copyOf(dirs), List.copyOf(sql));
      if (LISTINGS.size() > MAX_CACHED) {
        LISTINGS.clear();
      }
      LISTINGS.put(dir, fresh);
      return fresh;
    } catch (IOException | RuntimeException e) {
      return EMPTY;
    }
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
      String text =
          SqlDelightText.asSql(
              p.getFileName().toString(),
              new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
      List<Operation> ops = fe.parse(UpDownFile.forwardText(text), 1).operations();
      Map<String, Boolean> tables = new HashMap<>();
      ops.forEach(o -> replayTables(o, tables));
      List<Operation> moves =
          ops.stream()
              .filter(
                  o ->
                      o instanceof Operation.DropColumn
                          || o instanceof Operation.DropNotNull
                          || o instanceof Operation.RenameColumn
                          || o instanceof Operation.RenameTable
                          || o instanceof Operation.DropTable)
              .toList();
      Cached fresh =
          new Cached(
              a.size(),
              modified,
              java.util.Collections.unmodifiableMap(new HashMap<>(fe.declaredTypes())),
              moves,
              Set.copyOf(fe.generatedColumns()),
              Map.copyOf(tables),
              Set.copyOf(fe.notNullColumns()),
              Map.copyOf(fe.constraintKinds()));
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
