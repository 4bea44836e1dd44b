package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.SqlTokens.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import io.dbguard.core.analysis.model.Operation.InsertKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL front end (PostgreSQL and SQLite dialects): statement text → {@link Operation}s.
 *
 * <p>Two parsers, each where it is strong: <b>JSqlParser</b> for DML ({@code DELETE}, {@code
 * UPDATE}, {@code INSERT}, {@code MERGE}: table, WHERE expression tree for tautology detection,
 * {@code ON CONFLICT}, {@code INSERT … SELECT … WHERE NOT EXISTS}) and as the recogniser of
 * statements no rule needs; a small <b>token grammar</b> for the PostgreSQL/SQLite DDL forms
 * JSqlParser 5.3 rejects or models MySQL-style ({@code CREATE/DROP INDEX CONCURRENTLY}, {@code ADD
 * CONSTRAINT … NOT VALID}, {@code SET DATA TYPE}, {@code USING INDEX}, multi-table {@code DROP
 * TABLE}, {@code VACUUM}, {@code REINDEX}, {@code CREATE TYPE … AS ENUM}, {@code ALTER TYPE …
 * RENAME VALUE / ADD VALUE / RENAME TO}, {@code DROP TYPE}). A statement or {@code ALTER TABLE}
 * action that neither understands becomes {@link Operation.Unparsed} (rule DBG901) — never a guess.
 * The DML half lives in {@link SqlDml} (join-only {@code UPDATE … FROM}: {@link UpdateJoins}), the
 * {@code ADD COLUMN} definition in {@link AddColumnReader}. Statements inside other statements are
 * read as top-level ones: a {@code DO} block's body ({@link PlpgsqlBody}), the body of a function
 * or procedure the file defines, at the {@code SELECT}, {@code PERFORM} or {@code CALL} that first
 * calls it (a routine never called, such as a trigger function, runs nothing here), and SQL passed
 * as a string to a function in a {@code SELECT} ({@link CalledSql}).
 */
public final class SqlFrontEnd {

  /**
   * @param operations in statement order
   * @param comments every comment with its line (for suppressions)
   * @param statementCount number of statements
   * @param onlyNonTransactional every statement must run outside a transaction (CONCURRENTLY,
   *     VACUUM …), so Flyway runs the file without one
   */
  public record Result(
      List<Operation> operations,
      List<SqlSplitter.Comment> comments,
      int statementCount,
      boolean onlyNonTransactional) {}

  private static final Set<String> HARMLESS =
      Set.of(
          "SELECT",
          "SET",
          "RESET",
          "PRAGMA",
          "COMMENT",
          "GRANT",
          "REVOKE",
          "ANALYZE",
          "NOTIFY",
          "LOCK",
          "SHOW",
          "EXPLAIN",
          "REFRESH",
          "LISTEN",
          "DISCARD",
          "SAVEPOINT",
          "RELEASE",
          "ATTACH",
          "REASSIGN",
          "SECURITY",
          "VALUES",
          "COPY",
          "DEALLOCATE",
          "PREPARE",
          "CHECKPOINT");
  private static final Set<String> CREATE_HARMLESS =
      Set.of(
          "FUNCTION",
          "TRIGGER",
          "VIEW",
          "MATERIALIZED",
          "EXTENSION",
          "SEQUENCE",
          "TYPE",
          "DOMAIN",
          "SCHEMA",
          "PROCEDURE",
          "RULE",
          "POLICY",
          "ROLE",
          "USER",
          "PUBLICATION",
          "AGGREGATE",
          "OPERATOR",
          "COLLATION",
          "CAST",
          "DATABASE",
          "STATISTICS",
          "EVENT",
          "SERVER",
          "TEXT",
          "CONSTRAINT",
          "LANGUAGE",
          "SUBSCRIPTION",
          "TABLESPACE",
          "CONVERSION",
          "ACCESS");

  /** Words that end a column's type and start its constraints. */
  static final Set<String> COLUMN_CONSTRAINT_WORDS =
      Set.of(
          "NOT",
          "NULL",
          "DEFAULT",
          "CONSTRAINT",
          "PRIMARY",
          "UNIQUE",
          "REFERENCES",
          "CHECK",
          "GENERATED",
          "COLLATE",
          "AUTOINCREMENT",
          "IDENTITY");

  private final String dialect;

  /** Column types declared by CREATE TABLE in the parsed text: {@code table.column} → type. */
  private final java.util.Map<String, String> declaredTypes = new java.util.LinkedHashMap<>();

  /**
   * The column types the parsed text declares ({@code table.column} → normalised type, lower case),
   * from CREATE TABLE, ADD COLUMN and ALTER COLUMN … TYPE, later declarations last; for the
   * migrations that come after it (see {@code SqlHistory}).
   */
  public java.util.Map<String, String> declaredTypes() {
    return declaredTypes;
  }

  /** Generated columns declared in the parsed text and still there at its end. */
  private final java.util.Set<String> generatedColumns = new java.util.LinkedHashSet<>();

  /**
   * The generated columns ({@code table.column}, lower case) the parsed text declares by CREATE
   * TABLE or ADD COLUMN and does not drop or rename away; for the migrations after it.
   */
  public java.util.Set<String> generatedColumns() {
    return generatedColumns;
  }

  /** Columns that cannot hold NULL at the end of the parsed text. */
  private final java.util.Set<String> notNullColumns = new java.util.LinkedHashSet<>();

  /**
   * The columns ({@code table.column}, lower case) the parsed text leaves NOT NULL: declared so by
   * CREATE TABLE or ADD COLUMN, or made so by SET NOT NULL or a primary key, and not dropped, made
   * nullable again or renamed away since; for the migrations after it.
   */
  public java.util.Set<String> notNullColumns() {
    return notNullColumns;
  }

  /** Named constraints the parsed text declares: name (lower case) → kind. */
  private final java.util.Map<String, ConstraintKind> constraintKinds = new java.util.HashMap<>();

  /**
   * The kinds of the named constraints the parsed text declares ({@code CONSTRAINT c UNIQUE …}, in
   * CREATE TABLE or ADD CONSTRAINT) and does not drop: name (lower case) → kind; for the migrations
   * after it.
   */
  public java.util.Map<String, ConstraintKind> constraintKinds() {
    return constraintKinds;
  }

  /** {@code CONSTRAINT name KIND}: the name, plain or double-quoted, and the kind's first word. */
  private static final Pattern NAMED_CONSTRAINT =
      Pattern.compile(
          "(?i)\\bCONSTRAINT\\s+\"?([a-z_][a-z0-9_$]*)\"?\\s+(UNIQUE|PRIMARY|FOREIGN|CHECK|EXCLUDE"
              + "|REFERENCES|NOT|NULL|DEFAULT)\\b");

  /** Records the named constraints {@code text} declares in {@link #constraintKinds}. */
  private void rememberConstraints(String text) {
    Matcher m = NAMED_CONSTRAINT.matcher(text);
    while (m.find()) {
      ConstraintKind kind =
          switch (m.group(2).toUpperCase(Locale.ROOT)) {
            case "UNIQUE" -> ConstraintKind.UNIQUE;
            case "PRIMARY" -> ConstraintKind.PRIMARY_KEY;
            case "FOREIGN", "REFERENCES" -> ConstraintKind.FOREIGN_KEY;
            case "CHECK" -> ConstraintKind.CHECK;
            case "EXCLUDE" -> ConstraintKind.EXCLUDE;
            default -> ConstraintKind.OTHER;
          };
      constraintKinds.put(m.group(1).toLowerCase(Locale.ROOT), kind);
    }
  }

  /**
   * @param dialect {@code postgresql} or {@code sqlite}
   */
  public SqlFrontEnd(String dialect) {
    this.dialect = dialect;
  }

  /**
   * The type the last {@code ALTER COLUMN … TYPE} of each {@code table.column} in {@code sql}
   * changes it to ({@code null} when the type is not read). Run on the reverse direction of a
   * migration (a down section, Django's {@code reverse_sql}), these are the types its forward
   * direction changes the columns from.
   */
  public java.util.Map<String, String> typesGiven(String sql, int firstLine) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (Operation op : parse(sql, firstLine).operations()) {
      if (op instanceof Operation.ChangeColumnType c) {
        out.put(c.table() + "." + c.column(), c.newType());
      }
    }
    return out;
  }

  /** Parses {@code sql} whose first line is {@code firstLine} of its file. */
  public Result parse(String sql, int firstLine) {
    SqlSplitter.Result split = SqlSplitter.split(GoTemplates.withoutPlaceholders(sql), firstLine);
    List<Operation> ops = new ArrayList<>();
    boolean onlyNonTx = !split.statements().isEmpty();
    for (SqlSplitter.Statement st : split.statements()) {
      int before = ops.size();
      statement(st.text(), st.line(), ops);
      rememberConstraints(st.text());
      for (int k = before; k < ops.size(); k++) {
        DeclaredColumns.replay(ops.get(k), declaredTypes);
        DeclaredColumns.replayGenerated(ops.get(k), generatedColumns);
        DeclaredColumns.replayNotNull(ops.get(k), notNullColumns);
      }
      String up = st.text().toUpperCase(Locale.ROOT);
      boolean nonTx =
          up.contains("CONCURRENTLY")
              || up.startsWith("VACUUM")
              || up.matches("(?s)ALTER\\s+TYPE.*ADD\\s+VALUE.*");
      onlyNonTx &= nonTx;
    }
    return new Result(ops, split.comments(), split.statements().size(), onlyNonTx);
  }

  private void statement(String text, int line, List<Operation> ops) {
    SqlTokens t = new SqlTokens(text);
    String first = t.peekUpper();
    switch (first) {
      case "BEGIN", "START" -> ops.add(new Operation.Transaction(line, true));
      case "COMMIT", "END", "ROLLBACK", "ABORT" -> ops.add(new Operation.Transaction(line, false));
      case "CREATE" -> create(t, text, line, ops);
      case "DROP" -> drop(t, text, line, ops);
      case "ALTER" -> alter(t, text, line, ops);
      case "TRUNCATE" -> truncate(t, line, ops);
      case "VACUUM" -> {
        if (t.containsSequence("FULL")) {
          ops.add(new Operation.RewriteTable(line, "VACUUM FULL"));
        }
      }
      case "CLUSTER" -> ops.add(new Operation.RewriteTable(line, "CLUSTER"));
      case "REINDEX" -> ops.add(new Operation.Reindex(line, t.containsSequence("CONCURRENTLY")));
      case "DO" -> doBlock(text, line, ops);
      case "SELECT" -> {
        calledRoutines(t, ops);
        calledSql(text, line, ops);
      }
      case "CALL" -> {
        t.accept("CALL");
        String name = t.name();
        if (!routines.containsKey(Names.table(name)) || !t.accept("(")) {
          ops.add(new Operation.Unparsed(line, firstLine(text), "procedural code is not analysed"));
        } else if (running.add(Names.table(name))) {
          routineBody(Names.table(name), ops);
        }
      }
      case "EXECUTE" ->
          ops.add(new Operation.Unparsed(line, firstLine(text), "procedural code is not analysed"));
      case "INSERT", "REPLACE", "DELETE", "UPDATE", "WITH", "MERGE" -> SqlDml.dml(text, line, ops);
      default -> {
        if (!HARMLESS.contains(first)) {
          SqlDml.viaJsqlParser(text, line, ops);
        }
      }
    }
  }

  /** How deep strings run as SQL are read inside strings run as SQL. */
  private static final int MAX_STRING_DEPTH = 2;

  private int stringDepth;

  /**
   * SQL run through a string in a {@code SELECT}: each string argument of a function call found by
   * {@link CalledSql} is analysed as the statements in it, at their own lines, when every one of
   * them parses (no {@link Operation.Unparsed}); otherwise the string adds nothing, as a plain
   * {@code SELECT} does.
   */
  private void calledSql(String text, int line, List<Operation> ops) {
    if (stringDepth >= MAX_STRING_DEPTH) {
      return;
    }
    stringDepth++;
    try {
      for (CalledSql.Found found : CalledSql.find(text, line)) {
        List<Operation> inner = new ArrayList<>();
        for (SqlSplitter.Statement st : SqlSplitter.split(found.sql(), found.line()).statements()) {
          statement(st.text(), st.line(), inner);
        }
        if (inner.stream().noneMatch(o -> o instanceof Operation.Unparsed)) {
          ops.addAll(inner);
        }
      }
    } finally {
      stringDepth--;
    }
  }

  /**
   * The bodies of the functions and procedures the parsed text defines in PL/pgSQL or SQL, by name
   * ({@link Names#table}: no schema, lower case); a body runs when the text calls its routine.
   */
  private final java.util.Map<String, List<PlpgsqlBody.Item>> routines = new java.util.HashMap<>();

  /**
   * The routines whose body has been read at a call, or is being read: each body is read once, at
   * its first call (a later call adds the same findings), and a routine calling itself is not
   * followed.
   */
  private final java.util.Set<String> running = new java.util.HashSet<>();

  /**
   * Records the body of a {@code CREATE FUNCTION} / {@code CREATE PROCEDURE} ({@code t} positioned
   * at its name) for the calls that may follow; a routine in another language, or without a body
   * read, is forgotten.
   */
  private void routine(SqlTokens t, String text, int line) {
    String name = Names.table(t.name());
    if (name == null) {
      return;
    }
    java.util.Optional<List<PlpgsqlBody.Item>> body = PlpgsqlBody.routine(text, line);
    running.remove(name); // CREATE OR REPLACE: the next call runs the new body
    if (body.isPresent()) {
      routines.put(name, body.get());
    } else {
      routines.remove(name);
    }
  }

  /**
   * The routines the file defined earlier that the {@code SELECT} (or PL/pgSQL {@code PERFORM})
   * {@code t} calls ({@code name(}, with or without a schema): their bodies' statements are
   * analysed as statements of the file at this point, at their own lines, as a {@code DO} block's
   * are.
   */
  private void calledRoutines(SqlTokens t, List<Operation> ops) {
    if (routines.isEmpty()) {
      return;
    }
    while (!t.atEnd()) {
      Token tk = t.next();
      String name = tk.word() ? Names.table(tk.text()) : null;
      if (name != null
          && t.peek() != null
          && t.peek().text().equals("(")
          && routines.containsKey(name)
          && running.add(name)) {
        routineBody(name, ops);
      }
    }
  }

  /** Analyses the body of the routine {@code name}, called at this point of the file. */
  private void routineBody(String name, List<Operation> ops) {
    body(routines.get(name), "dynamic SQL in a function the file calls is not analysed", ops);
  }

  /**
   * A {@code DO} block: its PL/pgSQL body's plain SQL statements (and {@code EXECUTE} of a literal)
   * are analysed as top-level statements; a plain insert under an {@code IF} guard counts as
   * idempotent; dynamic SQL and non-PL/pgSQL bodies stay {@link Operation.Unparsed}.
   */
  private void doBlock(String text, int line, List<Operation> ops) {
    java.util.Optional<List<PlpgsqlBody.Item>> items = PlpgsqlBody.read(text, line);
    if (items.isEmpty()) {
      ops.add(new Operation.Unparsed(line, firstLine(text), "procedural code is not analysed"));
      return;
    }
    body(items.get(), "dynamic SQL in a DO block is not analysed", ops);
  }

  /**
   * The statements of a PL/pgSQL (or SQL) body that runs here, analysed as top-level statements; a
   * plain insert under an {@code IF} guard counts as idempotent; a type change under an {@code IF}
   * whose condition states the column's current type ({@link TypeGuards}) has that previous type;
   * dynamic SQL is {@link Operation.Unparsed} with the reason {@code dynamic}.
   */
  private void body(List<PlpgsqlBody.Item> items, String dynamic, List<Operation> ops) {
    for (PlpgsqlBody.Item item : items) {
      if (item.dynamic()) {
        ops.add(new Operation.Unparsed(item.line(), firstLine(item.sql()), dynamic));
        continue;
      }
      int before = ops.size();
      statement(item.sql(), item.line(), ops);
      if (item.guarded()) {
        for (int k = before; k < ops.size(); k++) {
          if (ops.get(k) instanceof Operation.Insert i && i.kind() == InsertKind.PLAIN) {
            ops.set(
                k,
                new Operation.Insert(i.line(), i.table(), InsertKind.IDEMPOTENT, i.sourceTable()));
          } else if (ops.get(k) instanceof Operation.ChangeColumnType c && c.oldType() == null) {
            String pinned = TypeGuards.pinned(item.conditions(), c.table(), c.column());
            if (pinned != null) {
              ops.set(k, c.withOldType(pinned));
            }
          }
        }
      }
    }
  }

  // ---- DDL: token grammar ----

  private void create(SqlTokens t, String text, int line, List<Operation> ops) {
    t.accept("CREATE");
    t.accept("OR", "REPLACE");
    boolean unique = t.accept("UNIQUE");
    if (t.accept("INDEX")) {
      boolean concurrently = t.accept("CONCURRENTLY");
      t.accept("IF", "NOT", "EXISTS");
      String name = null;
      if (!t.peekUpper().equals("ON")) {
        name = t.name();
      }
      if (!t.accept("ON")) {
        ops.add(new Operation.Unparsed(line, firstLine(text), "CREATE INDEX without ON"));
        return;
      }
      boolean only = t.accept("ONLY");
      String table = t.name();
      ops.add(
          new Operation.CreateIndex(
              line, Names.table(table), Names.table(name), unique, concurrently, only));
      return;
    }
    t.accept("GLOBAL");
    t.accept("LOCAL");
    t.accept("TEMP");
    t.accept("TEMPORARY");
    t.accept("UNLOGGED");
    t.accept("VIRTUAL"); // SQLite virtual table: a new object like any other
    if (t.accept("TABLE")) {
      CreateTableReader.read(t, text, line, "sqlite".equals(dialect), declaredTypes, ops);
      return;
    }
    if (t.accept("TYPE")) {
      String type = t.name();
      if (t.accept("AS", "ENUM") && t.accept("(")) {
        List<String> labels = new ArrayList<>();
        while (!t.atEnd() && !t.peek().text().equals(")")) {
          Token tk = t.next();
          if (tk.string()) {
            labels.add(label(tk));
          }
        }
        ops.add(new Operation.CreateEnum(line, Names.table(type), List.copyOf(labels)));
      }
      return; // composite, range, base types: no rows at stake
    }
    if (t.accept("FUNCTION") || t.accept("PROCEDURE")) {
      routine(t, text, line);
      return;
    }
    if (CREATE_HARMLESS.contains(t.peekUpper())) {
      return;
    }
    ops.add(new Operation.Unparsed(line, firstLine(text), "unknown CREATE statement"));
  }

  private void drop(SqlTokens t, String text, int line, List<Operation> ops) {
    t.accept("DROP");
    String what = t.peekUpper();
    if (t.accept("TABLE")) {
      t.accept("IF", "EXISTS");
      do {
        String name = t.name();
        if (name != null) {
          ops.add(new Operation.DropTable(line, Names.table(name)));
        }
      } while (t.accept(","));
    } else if (t.accept("SCHEMA") || t.accept("DATABASE")) {
      t.accept("IF", "EXISTS");
      ops.add(new Operation.DropSchema(line, Names.table(t.name()), what));
    } else if (t.accept("INDEX")) {
      boolean concurrently = t.accept("CONCURRENTLY");
      t.accept("IF", "EXISTS");
      do {
        String name = t.name();
        if (name != null) {
          ops.add(new Operation.DropIndex(line, Names.table(name), concurrently));
        }
      } while (t.accept(","));
    } else if (t.accept("TYPE")) {
      t.accept("IF", "EXISTS");
      List<String> types = new ArrayList<>();
      do {
        String name = t.name();
        if (name != null) {
          types.add(Names.table(name));
        }
      } while (t.accept(","));
      ops.add(new Operation.DropType(line, List.copyOf(types)));
    } else if (t.accept("FUNCTION") || t.accept("PROCEDURE")) {
      t.accept("IF", "EXISTS");
      routines.remove(Names.table(t.name()));
    } else if (what.isEmpty()) {
      ops.add(new Operation.Unparsed(line, firstLine(text), "incomplete DROP"));
    }
    // DROP VIEW/FUNCTION/TRIGGER/TYPE/SEQUENCE/…: no stored rows are lost
  }

  private void truncate(SqlTokens t, int line, List<Operation> ops) {
    t.accept("TRUNCATE");
    t.accept("TABLE");
    List<String> tables = new ArrayList<>();
    do {
      t.accept("ONLY");
      String name = t.name();
      if (name != null) {
        tables.add(Names.table(name));
      }
      t.accept("*");
    } while (t.accept(","));
    ops.add(new Operation.Truncate(line, tables));
  }

  private void alter(SqlTokens t, String text, int line, List<Operation> ops) {
    t.accept("ALTER");
    if (t.accept("TYPE")) {
      String type = Names.table(t.name());
      if (t.accept("RENAME", "VALUE")) {
        String from = t.atEnd() || !t.peek().string() ? null : label(t.next());
        String to = t.accept("TO") && !t.atEnd() && t.peek().string() ? label(t.next()) : null;
        ops.add(new Operation.RenameEnumValue(line, type, from, to));
      } else if (t.accept("RENAME", "TO")) {
        ops.add(new Operation.RenameType(line, type, Names.table(t.name())));
      } else if (t.accept("ADD", "VALUE")) {
        t.accept("IF", "NOT", "EXISTS");
        if (!t.atEnd() && t.peek().string()) {
          String value = label(t.next());
          String position = null;
          if (Set.of("BEFORE", "AFTER").contains(t.peekUpper())) {
            String where = t.next().upper();
            Token neighbour = t.next();
            position = where + " " + (neighbour == null ? "?" : neighbour.text());
          }
          ops.add(new Operation.AddEnumValue(line, type, value, position));
        }
      } else if (t.containsSequence("RENAME", "VALUE")) {
        ops.add(new Operation.RenameEnumValue(line, type, null, null));
      }
      return; // OWNER TO, SET SCHEMA, ADD ATTRIBUTE …: no rows at stake
    }
    if (t.accept("SCHEMA")) {
      String name = t.name();
      if (t.accept("RENAME", "TO")) {
        ops.add(new Operation.RenameSchema(line, Names.table(name), Names.table(t.name())));
      }
      return;
    }
    if (!t.accept("TABLE")) {
      return; // ALTER INDEX/SEQUENCE/FUNCTION/VIEW/ROLE/DATABASE …: no rows at stake
    }
    t.accept("IF", "EXISTS");
    t.accept("ONLY");
    String table = Names.table(t.name());
    t.accept("*");
    if (t.accept("RENAME", "TO")) {
      ops.add(new Operation.RenameTable(line, table, Names.table(t.name())));
      return;
    }
    if (t.accept("RENAME")) {
      if (t.accept("CONSTRAINT")) {
        return;
      }
      t.accept("COLUMN");
      String col = t.name();
      if (t.accept("TO")) {
        ops.add(new Operation.RenameColumn(line, table, Names.table(col), Names.table(t.name())));
      } else {
        ops.add(new Operation.Unparsed(line, firstLine(text), "unknown RENAME form"));
      }
      return;
    }
    while (!t.atEnd()) {
      List<Token> action = t.untilTopLevelComma();
      if (!action.isEmpty()) {
        alterAction(table, action, text, line, ops);
      }
    }
  }

  /** The condition of {@code CHECK (…)}, up to {@code NOT VALID} / {@code NO INHERIT}. */
  private static final Pattern CHECK_CONDITION =
      Pattern.compile("(?is)\\bCHECK\\s*(.*?)\\s*(?:NOT\\s+VALID|NO\\s+INHERIT|\\s)*;?\\s*$");

  /** {@code col IS NOT NULL}, the column plain or double-quoted. */
  private static final Pattern IS_NOT_NULL =
      Pattern.compile("(?is)\"?([a-z_][a-z0-9_$]*)\"?\\s+IS\\s+NOT\\s+NULL");

  /**
   * The column a CHECK condition proves NOT NULL when the whole condition is {@code col IS NOT
   * NULL} (outer parentheses allowed, {@code (status IS NOT NULL)}), lower case; else {@code null}.
   * A valid such constraint lets PostgreSQL 12+ SET NOT NULL without scanning the table (PostgreSQL
   * manual, ALTER TABLE, "SET/DROP NOT NULL").
   *
   * @param condition the condition's text, as written after {@code CHECK} or given to Rails' {@code
   *     add_check_constraint}
   */
  static String notNullColumn(String condition) {
    String c = condition.trim();
    while (c.startsWith("(") && c.endsWith(")")) {
      c = c.substring(1, c.length() - 1).trim();
    }
    Matcher m = IS_NOT_NULL.matcher(c);
    return m.matches() ? m.group(1).toLowerCase(Locale.ROOT) : null;
  }

  /** The column names of {@code (a, "b")} at the cursor, or none when no list follows. */
  private static List<String> primaryKeyColumns(SqlTokens a) {
    List<String> cols = new ArrayList<>();
    if (!a.accept("(")) {
      return cols;
    }
    while (!a.atEnd() && !a.peek().text().equals(")")) {
      Token t = a.next();
      if (t.word()) {
        cols.add(Names.table(t.text()));
      }
    }
    return cols;
  }

  private void alterAction(
      String table, List<Token> action, String text, int line, List<Operation> ops) {
    SqlTokens a = new SqlTokens(SqlTokens.join(action));
    if (a.accept("ADD")) {
      String head = a.peekUpper();
      if (Set.of("CONSTRAINT", "FOREIGN", "CHECK", "UNIQUE", "PRIMARY", "EXCLUDE").contains(head)) {
        String name = null;
        if (a.accept("CONSTRAINT")) {
          name = a.name();
        }
        ConstraintKind kind =
            switch (a.peekUpper()) {
              case "FOREIGN" -> ConstraintKind.FOREIGN_KEY;
              case "CHECK" -> ConstraintKind.CHECK;
              case "UNIQUE" -> ConstraintKind.UNIQUE;
              case "PRIMARY" -> ConstraintKind.PRIMARY_KEY;
              case "EXCLUDE" -> ConstraintKind.EXCLUDE;
              default -> ConstraintKind.OTHER;
            };
        boolean usingIndex = a.containsSequence("USING", "INDEX");
        String checked = null;
        if (kind == ConstraintKind.CHECK) {
          Matcher m = CHECK_CONDITION.matcher(SqlTokens.join(action));
          checked = m.find() ? notNullColumn(m.group(1)) : null;
        }
        ops.add(
            new Operation.AddConstraint(
                line,
                table,
                Names.table(name),
                kind,
                a.containsSequence("NOT", "VALID"),
                usingIndex,
                checked));
        if (kind == ConstraintKind.PRIMARY_KEY && !usingIndex && a.accept("PRIMARY", "KEY")) {
          primaryKeyColumns(a).forEach(c -> ops.add(new Operation.ImpliedNotNull(line, table, c)));
        }
        return;
      }
      a.accept("COLUMN");
      boolean ifNotExists = a.accept("IF", "NOT", "EXISTS");
      AddColumnReader.read(table, a, line, dialect, ifNotExists, ops);
      return;
    }
    if (a.accept("DROP")) {
      if (a.accept("CONSTRAINT")) {
        a.accept("IF", "EXISTS");
        String name = Names.table(a.name());
        if (name != null) {
          ops.add(new Operation.DropConstraint(line, table, name, constraintKinds.remove(name)));
        }
        return;
      }
      a.accept("COLUMN");
      a.accept("IF", "EXISTS");
      String col = a.name();
      ops.add(new Operation.DropColumn(line, table, Names.table(col)));
      return;
    }
    if (a.accept("ALTER")) {
      a.accept("COLUMN");
      String col = Names.table(a.name());
      if (a.accept("TYPE") || a.accept("SET", "DATA", "TYPE")) {
        List<Token> type = new ArrayList<>();
        while (!a.atEnd() && !Set.of("USING", "COLLATE").contains(a.peekUpper())) {
          type.add(a.next());
        }
        // TYPE t COLLATE c USING e: the USING follows the collation
        String collation = a.accept("COLLATE") ? a.name() : null;
        ops.add(
            new Operation.ChangeColumnType(
                line,
                table,
                col,
                null,
                SqlTypes.normalise(SqlTokens.join(type)),
                a.accept("USING") ? SqlTokens.join(a.untilTopLevelComma()) : null,
                false,
                collation));
      } else if (a.accept("SET", "NOT", "NULL")) {
        ops.add(new Operation.SetNotNull(line, table, col));
      } else if (a.accept("DROP", "NOT", "NULL")) {
        ops.add(new Operation.DropNotNull(line, table, col));
      } else if (a.accept("SET", "DEFAULT")) {
        ops.add(new Operation.SetDefault(line, table, col));
      } else if (a.accept("DROP", "DEFAULT")) {
        ops.add(new Operation.DropDefault(line, table, col));
      } else if (a.accept("SET") || a.accept("DROP") || a.accept("ADD") || a.accept("RESET")) {
        // SET STATISTICS, SET STORAGE, ADD GENERATED …: catalog-only
      } else {
        ops.add(new Operation.Unparsed(line, firstLine(text), "unknown ALTER COLUMN action"));
      }
      return;
    }
    if (a.accept("VALIDATE", "CONSTRAINT")) {
      ops.add(new Operation.ValidateConstraint(line, table, Names.table(a.name())));
      return;
    }
    if (a.accept("DETACH", "PARTITION")) {
      a.name();
      ops.add(new Operation.DetachPartition(line, table, a.accept("CONCURRENTLY")));
      return;
    }
    if (Set.of(
            "ATTACH", "OWNER", "SET", "RESET", "ENABLE", "DISABLE", "REPLICA", "CLUSTER", "INHERIT",
            "NO", "FORCE", "OF", "NOT")
        .contains(a.peekUpper())) {
      return;
    }
    ops.add(new Operation.Unparsed(line, firstLine(text), "unknown ALTER TABLE action"));
  }

  /** The text of a string-literal token: quotes removed, {@code ''} unescaped. */
  private static String label(Token tk) {
    String s = tk.text();
    if (s.length() >= 2 && s.startsWith("'") && s.endsWith("'")) {
      s = s.substring(1, s.length() - 1);
    }
    return s.replace("''", "'");
  }

  static String firstLine(String text) {
    String s = text.strip().split("\n")[0].strip();
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
