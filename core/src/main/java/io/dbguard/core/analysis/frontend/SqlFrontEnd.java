package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.SqlTokens.Token;
import io.dbguard.core.analysis.model.Names;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import io.dbguard.core.analysis.model.Operation.InsertKind;
import io.dbguard.core.analysis.model.Operation.Where;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NotExpression;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.conditional.OrExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.NotEqualsTo;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.select.PlainSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.update.Update;

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
  private static final Set<String> COLUMN_CONSTRAINT_WORDS =
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

  private static String columnType(List<Token> def) {
    List<Token> type = new ArrayList<>();
    for (int i = 1; i < def.size(); i++) {
      if (COLUMN_CONSTRAINT_WORDS.contains(def.get(i).upper())) {
        break;
      }
      type.add(def.get(i));
    }
    return SqlTypes.normalise(SqlTokens.join(type));
  }

  /**
   * @param dialect {@code postgresql} or {@code sqlite}
   */
  public SqlFrontEnd(String dialect) {
    this.dialect = dialect;
  }

  /** Parses {@code sql} whose first line is {@code firstLine} of its file. */
  public Result parse(String sql, int firstLine) {
    SqlSplitter.Result split = SqlSplitter.split(GoTemplates.withoutPlaceholders(sql), firstLine);
    List<Operation> ops = new ArrayList<>();
    boolean onlyNonTx = !split.statements().isEmpty();
    for (SqlSplitter.Statement st : split.statements()) {
      int before = ops.size();
      statement(st.text(), st.line(), ops);
      for (int k = before; k < ops.size(); k++) {
        DeclaredColumns.replay(ops.get(k), declaredTypes);
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
      case "CALL", "EXECUTE" ->
          ops.add(new Operation.Unparsed(line, firstLine(text), "procedural code is not analysed"));
      case "INSERT", "REPLACE", "DELETE", "UPDATE", "WITH", "MERGE" -> dml(text, line, ops);
      default -> {
        if (!HARMLESS.contains(first)) {
          viaJsqlParser(text, line, ops);
        }
      }
    }
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
    for (PlpgsqlBody.Item item : items.get()) {
      if (item.dynamic()) {
        ops.add(
            new Operation.Unparsed(
                item.line(), firstLine(item.sql()), "dynamic SQL in a DO block is not analysed"));
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
      t.accept("ONLY");
      String table = t.name();
      ops.add(
          new Operation.CreateIndex(
              line, Names.table(table), Names.table(name), unique, concurrently));
      return;
    }
    t.accept("GLOBAL");
    t.accept("LOCAL");
    t.accept("TEMP");
    t.accept("TEMPORARY");
    t.accept("UNLOGGED");
    t.accept("VIRTUAL"); // SQLite virtual table: a new object like any other
    if (t.accept("TABLE")) {
      t.accept("IF", "NOT", "EXISTS");
      String table = t.name();
      List<String> columns = new ArrayList<>();
      if (!t.atEnd() && t.peek().text().equals("(")) {
        t.next();
        while (!t.atEnd() && !t.peek().text().equals(")")) {
          List<Token> def = t.untilTopLevelComma();
          if (!def.isEmpty()
              && def.get(0).word()
              && !Set.of("CONSTRAINT", "PRIMARY", "UNIQUE", "FOREIGN", "CHECK", "EXCLUDE", "LIKE")
                  .contains(def.get(0).upper())) {
            columns.add(Names.table(def.get(0).text()));
            declaredTypes.put(
                Names.table(table) + "." + Names.table(def.get(0).text()), columnType(def));
          }
        }
      }
      ops.add(new Operation.CreateTable(line, Names.table(table), false, columns));
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
        ops.add(
            new Operation.AddConstraint(
                line,
                table,
                Names.table(name),
                kind,
                a.containsSequence("NOT", "VALID"),
                a.containsSequence("USING", "INDEX")));
        return;
      }
      a.accept("COLUMN");
      a.accept("IF", "NOT", "EXISTS");
      addColumn(table, a, line, ops);
      return;
    }
    if (a.accept("DROP")) {
      if (a.accept("CONSTRAINT")) {
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
        ops.add(
            new Operation.ChangeColumnType(
                line,
                table,
                col,
                null,
                SqlTypes.normalise(SqlTokens.join(type)),
                a.accept("USING"),
                false));
      } else if (a.accept("SET", "NOT", "NULL")) {
        ops.add(new Operation.SetNotNull(line, table, col));
      } else if (a.accept("DROP", "NOT", "NULL")) {
        ops.add(new Operation.DropNotNull(line, table, col));
      } else if (a.accept("SET", "DEFAULT")) {
        ops.add(new Operation.SetDefault(line, table, col));
      } else if (a.accept("SET") || a.accept("DROP") || a.accept("ADD") || a.accept("RESET")) {
        // SET/DROP DEFAULT, SET STATISTICS, SET STORAGE, ADD GENERATED …: catalog-only
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

  private void addColumn(String table, SqlTokens a, int line, List<Operation> ops) {
    String col = Names.table(a.name());
    List<Token> type = new ArrayList<>();
    while (!a.atEnd() && !COLUMN_CONSTRAINT_WORDS.contains(a.peekUpper())) {
      type.add(a.next());
    }
    boolean notNull = false;
    boolean stored = false;
    boolean pk = false;
    boolean unique = false;
    boolean references = false;
    String defaultExpr = null;
    while (!a.atEnd()) {
      if (a.accept("NOT", "NULL")) {
        notNull = true;
      } else if (a.accept("DEFAULT")) {
        List<Token> d = new ArrayList<>();
        int depth = 0;
        while (!a.atEnd() && (depth > 0 || !COLUMN_CONSTRAINT_WORDS.contains(a.peekUpper()))) {
          Token tk = a.next();
          depth += tk.text().equals("(") ? 1 : tk.text().equals(")") ? -1 : 0;
          d.add(tk);
        }
        defaultExpr = SqlTokens.join(d);
      } else if (a.accept("GENERATED")) {
        while (!a.atEnd() && !COLUMN_CONSTRAINT_WORDS.contains(a.peekUpper())) {
          Token tk = a.next();
          stored |= tk.upper().equals("STORED");
          pk |= tk.upper().equals("IDENTITY");
        }
        if (!stored) {
          // GENERATED … AS IDENTITY: fills every row like serial
          type.add(new Token("identity", true, false));
        }
      } else if (a.accept("PRIMARY", "KEY")) {
        pk = true;
        notNull = true;
      } else if (a.accept("UNIQUE")) {
        unique = true;
      } else if (a.accept("REFERENCES")) {
        references = true;
        a.name();
      } else {
        a.next();
      }
    }
    String typeText = SqlTypes.normalise(SqlTokens.join(type));
    ops.add(new Operation.AddColumn(line, table, col, typeText, notNull, defaultExpr, stored));
    if (pk) {
      ops.add(
          new Operation.AddConstraint(line, table, null, ConstraintKind.PRIMARY_KEY, false, false));
    }
    if (unique) {
      ops.add(new Operation.AddConstraint(line, table, null, ConstraintKind.UNIQUE, false, false));
    }
    if (references && !"sqlite".equals(dialect)) {
      ops.add(
          new Operation.AddConstraint(line, table, null, ConstraintKind.FOREIGN_KEY, false, false));
    }
  }

  // ---- DML: JSqlParser ----

  private void dml(String text, int line, List<Operation> ops) {
    String sql = text;
    boolean orIgnore = false;
    String up = text.toUpperCase(Locale.ROOT);
    if (up.matches("(?s)^INSERT\\s+OR\\s+(IGNORE|REPLACE)\\b.*")) {
      sql = text.replaceFirst("(?is)^INSERT\\s+OR\\s+(IGNORE|REPLACE)", "INSERT");
      orIgnore = true;
    } else if (up.matches("(?s)^INSERT\\s+IGNORE\\b.*")) {
      sql = text.replaceFirst("(?is)^INSERT\\s+IGNORE", "INSERT"); // MySQL
      orIgnore = true;
    } else if (up.matches("(?s)^REPLACE\\s+INTO\\b.*")) {
      sql = text.replaceFirst("(?is)^REPLACE", "INSERT");
      orIgnore = true;
    }
    sql = standardStrings(sql);
    Optional<Operation.Insert> simple = InsertValuesReader.read(new SqlTokens(sql), line, orIgnore);
    if (simple.isPresent()) {
      ops.add(simple.get());
      return;
    }
    Statement st;
    try {
      st = GeneralSqlParser.parse(sql);
    } catch (JSQLParserException | RuntimeException e) {
      ops.add(new Operation.Unparsed(line, firstLine(text), "SQL parser: " + shortMessage(e)));
      return;
    }
    if (st instanceof Delete d) {
      ops.add(new Operation.Delete(line, tableName(d.getTable()), where(d.getWhere()), null));
    } else if (st instanceof Update u) {
      ops.add(
          new Operation.Update(
              line, tableName(u.getTable()), where(u.getWhere()), null, UpdateValues.backfill(u)));
    } else if (st instanceof Insert i) {
      InsertKind kind =
          orIgnore || i.getConflictAction() != null || i.isUseDuplicate()
              ? InsertKind.IDEMPOTENT
              : InsertKind.PLAIN;
      String source = null;
      List<String> copied = null;
      Select select = i.getSelect();
      if (select instanceof PlainSelect ps) {
        if (ps.getFromItem() instanceof Table from) {
          source = tableName(from);
          copied = ps.getJoins() == null ? SelectColumns.read(ps) : null;
        }
        if (ps.getWhere() != null && notExists(ps.getWhere())) {
          kind = InsertKind.IDEMPOTENT;
        }
      }
      ops.add(new Operation.Insert(line, tableName(i.getTable()), kind, source, copied, null));
    } else if (st instanceof Merge m) {
      ops.add(new Operation.Insert(line, tableName(m.getTable()), InsertKind.IDEMPOTENT, null));
    } else if (st instanceof UnsupportedStatement) {
      ops.add(new Operation.Unparsed(line, firstLine(text), "SQL parser does not support it"));
    }
    // WITH … SELECT: read-only
  }

  /**
   * Rewrites PostgreSQL escape strings ({@code E'it\\'s'}) to standard strings ({@code 'it''s'}),
   * which JSqlParser reads; other text is unchanged.
   */
  static String standardStrings(String sql) {
    StringBuilder out = new StringBuilder();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      boolean escape =
          (c == 'E' || c == 'e')
              && i + 1 < n
              && sql.charAt(i + 1) == '\''
              && (i == 0 || !Character.isLetterOrDigit(sql.charAt(i - 1)));
      if (escape) {
        StringBuilder lit = new StringBuilder("'");
        int j = i + 2;
        while (j < n && sql.charAt(j) != '\'') {
          char d = sql.charAt(j);
          if (d == '\\' && j + 1 < n) {
            char e = sql.charAt(j + 1);
            lit.append(e == '\'' ? "''" : e == 'n' ? "\n" : e == 't' ? "\t" : String.valueOf(e));
            j += 2;
            continue;
          }
          lit.append(d);
          j++;
        }
        out.append(lit).append('\'');
        i = j;
      } else if (c == '\'') {
        int j = i + 1;
        while (j < n && !(sql.charAt(j) == '\'' && (j + 1 >= n || sql.charAt(j + 1) != '\''))) {
          j += sql.charAt(j) == '\'' ? 2 : 1;
        }
        out.append(sql, i, Math.min(j + 1, n));
        i = j;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private void viaJsqlParser(String text, int line, List<Operation> ops) {
    try {
      Statement st = GeneralSqlParser.parse(text);
      if (st instanceof UnsupportedStatement) {
        ops.add(new Operation.Unparsed(line, firstLine(text), "unknown statement"));
      }
    } catch (JSQLParserException | RuntimeException e) {
      ops.add(new Operation.Unparsed(line, firstLine(text), "SQL parser: " + shortMessage(e)));
    }
  }

  private static boolean notExists(Expression where) {
    String s = where.toString().toUpperCase(Locale.ROOT).replaceAll("\\s+", " ");
    return s.contains("NOT EXISTS");
  }

  private static String tableName(Table t) {
    return t == null ? null : Names.table(t.getName());
  }

  /** Classifies a WHERE expression; {@code null} → NONE. Package-visible for tests. */
  static Where where(Expression e) {
    if (e == null) {
      return Where.NONE;
    }
    return isTautology(e) ? Where.TAUTOLOGY : Where.REAL;
  }

  private static boolean isTautology(Expression e) {
    Expression x = unwrap(e);
    if (x instanceof Column c) {
      return c.getFullyQualifiedName().equalsIgnoreCase("true");
    }
    if (x instanceof LongValue l) {
      return l.getValue() != 0;
    }
    if (x.getClass().getSimpleName().equals("BooleanValue")) {
      return x.toString().equalsIgnoreCase("true");
    }
    if (x instanceof EqualsTo eq) {
      return eq.getLeftExpression().toString().equals(eq.getRightExpression().toString());
    }
    if (x instanceof NotEqualsTo ne) {
      return isConstant(ne.getLeftExpression())
          && isConstant(ne.getRightExpression())
          && !ne.getLeftExpression().toString().equals(ne.getRightExpression().toString());
    }
    if (x instanceof OrExpression or) {
      return isTautology(or.getLeftExpression()) || isTautology(or.getRightExpression());
    }
    if (x instanceof AndExpression and) {
      return isTautology(and.getLeftExpression()) && isTautology(and.getRightExpression());
    }
    if (x instanceof NotExpression not) {
      Expression inner = unwrap(not.getExpression());
      return inner.toString().equalsIgnoreCase("false")
          || (inner instanceof LongValue l && l.getValue() == 0)
          || (inner instanceof EqualsTo eq2
              && isConstant(eq2.getLeftExpression())
              && isConstant(eq2.getRightExpression())
              && !eq2.getLeftExpression().toString().equals(eq2.getRightExpression().toString()));
    }
    return false;
  }

  private static boolean isConstant(Expression e) {
    String s = e.toString();
    return s.matches("-?\\d+(\\.\\d+)?|'[^']*'|(?i)true|(?i)false");
  }

  private static Expression unwrap(Expression e) {
    String s = e.toString().trim();
    Expression cur = e;
    while (s.startsWith("(") && s.endsWith(")") && balanced(s.substring(1, s.length() - 1))) {
      try {
        cur = CCJSqlParserUtil.parseCondExpression(s.substring(1, s.length() - 1));
        s = cur.toString().trim();
      } catch (JSQLParserException ex) {
        return cur;
      }
    }
    return cur;
  }

  private static boolean balanced(String s) {
    int depth = 0;
    for (char c : s.toCharArray()) {
      depth += c == '(' ? 1 : c == ')' ? -1 : 0;
      if (depth < 0) {
        return false;
      }
    }
    return depth == 0;
  }

  private static String shortMessage(Exception e) {
    String m = String.valueOf(e.getMessage());
    if (e.getCause() != null && e.getCause().getMessage() != null) {
      m = e.getCause().getMessage();
    }
    m = m.split("\n")[0];
    return m.length() > 120 ? m.substring(0, 120) + "…" : m;
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
