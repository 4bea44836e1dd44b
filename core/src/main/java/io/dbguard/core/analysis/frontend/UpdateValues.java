package io.dbguard.core.analysis.frontend;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.CastExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.ExtractExpression;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.TrimFunction;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseAnd;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseLeftShift;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseOr;
import net.sf.jsqlparser.expression.operators.arithmetic.BitwiseRightShift;
import net.sf.jsqlparser.expression.operators.arithmetic.Division;
import net.sf.jsqlparser.expression.operators.arithmetic.IntegerDivision;
import net.sf.jsqlparser.expression.operators.arithmetic.Modulo;
import net.sf.jsqlparser.expression.operators.arithmetic.Multiplication;
import net.sf.jsqlparser.expression.operators.arithmetic.Subtraction;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Tells a backfill from an overwrite in an {@code UPDATE} without {@code WHERE} (or with a WHERE
 * that only joins it to its {@code FROM} tables). A backfill computes every new value from columns
 * — the row's own or, in an {@code UPDATE … FROM}, those of the joined rows ({@code SET total =
 * price * qty}, {@code SET email_lower = lower(email)}): it rewrites every row under row locks — a
 * lock and scan risk — but loses nothing. An overwrite sets a constant ({@code SET status = 'x'},
 * {@code NULL}), a value from elsewhere (a sub-select), or a lossy function of the row (truncation,
 * rounding, a narrowing cast), and the old values are gone.
 *
 * <p>A value computed from the column it replaces ({@code SET email = lower(email)}, {@code SET
 * created = strftime('%Y', created)}, {@code SET n = n / 2}) is an in-place transformation: the old
 * value survives only if the transformation can be undone. Any function call there, other than the
 * few that keep their input whole ({@link #KEEPS_INPUT}), the functions SQL writes as syntax
 * ({@code TRIM(BOTH FROM c)}, {@code EXTRACT(year FROM c)}), integer division, modulo and the
 * bitwise operators that clear, set or shift bits ({@code flags & 1}) count as lossy, and so does
 * scaling in place ({@code SET ms = ms * 1000}: a unit change, every row read in a unit the running
 * version does not expect); {@code SET n = n + 1} or {@code SET name = name || ' (old)'} still are
 * backfills.
 *
 * <p>JSON functions that add keys to the value they are given ({@link #ADDS_TO_JSON}: {@code SET
 * settings = json_set(settings, '$.k', 1)}, {@code jsonb_set(settings, '{k}', 'true')}) keep the
 * column's values when given the column they replace, and so do {@code settings ||
 * '{"k":1}'::jsonb} and {@code settings || jsonb_build_object('k', 1)}: backfills. Removing from
 * the value ({@code json_remove(settings, …)}, {@code settings - 'k'}, {@code settings #- '{a}'}, a
 * merge patch that sets a key to {@code null}, a path of {@code '$'} that replaces the whole value)
 * is lossy.
 */
final class UpdateValues {

  private UpdateValues() {}

  /** Functions whose result keeps less than their input (rounding, truncation, cutting). */
  private static final Set<String> LOSSY =
      Set.of(
          "left",
          "right",
          "substr",
          "substring",
          "trunc",
          "round",
          "floor",
          "ceil",
          "ceiling",
          "date_trunc",
          "split_part",
          "md5",
          "random",
          "now",
          "current_timestamp",
          "coalesce");

  /**
   * Functions that keep the whole of their input in their result (appending to it, wrapping it), so
   * that applying one to the column it replaces loses nothing.
   */
  private static final Set<String> KEEPS_INPUT =
      Set.of(
          "concat",
          "to_json",
          "to_jsonb",
          "json_build_array",
          "jsonb_build_array",
          "json_array",
          "json_build_object",
          "jsonb_build_object",
          "json_object",
          "array_append",
          "array_prepend",
          "array_cat");

  /**
   * JSON functions whose first argument is the value they add keys or elements to and return
   * (SQLite manual, "JSON Functions"; PostgreSQL manual, "JSON Functions and Operators"): the
   * existing keys are kept, except that a path of {@code '$'} replaces the whole value and a merge
   * patch's {@code null} removes a key ({@link #removes}).
   */
  private static final Set<String> ADDS_TO_JSON =
      Set.of("json_set", "json_insert", "json_patch", "jsonb_set", "jsonb_insert");

  /**
   * The assignments of {@code u} that copy a column of the updated table into another, unchanged or
   * through a {@code CAST} ({@code SET c = c_old}, {@code SET c = CAST(c_old AS real)}, {@code SET
   * c = c_old::numeric}): target column → source column, lower case, unquoted. Empty when none, and
   * when another assignment is not a copy and not derived from the row without loss (such an UPDATE
   * is judged by its values alone).
   */
  static Map<String, String> copies(Update u) {
    if (u.getUpdateSets() == null) {
      return Map.of();
    }
    Set<String> tables = tables(u);
    Map<String, String> out = new LinkedHashMap<>();
    for (UpdateSet set : u.getUpdateSets()) {
      if (set.getValues().size() != set.getColumns().size()) {
        return Map.of();
      }
      for (int i = 0; i < set.getValues().size(); i++) {
        Expression value = set.getValues().get(i);
        while (value instanceof CastExpression c) {
          value = c.getLeftExpression();
        }
        String target = unquote(set.getColumns().get(i).getColumnName());
        boolean copy = false;
        if (value instanceof Column c
            && !Set.of("true", "false", "default", "null").contains(unquote(c.getColumnName()))) {
          String q = qualifier(c);
          if (q == null || tables.contains(q)) {
            out.put(target, unquote(c.getColumnName()));
            copy = true;
          }
        }
        if (!copy && !derivedFromRow(set.getValues().get(i), target, tables)) {
          return Map.of();
        }
      }
    }
    return out;
  }

  private static String unquote(String name) {
    return name.replace("\"", "").replace("`", "").toLowerCase(Locale.ROOT);
  }

  /** The table a column reference names ({@code t.c} → {@code t}), unquoted; null when none. */
  private static String qualifier(Column c) {
    return c.getTable() == null || c.getTable().getName() == null
        ? null
        : unquote(c.getTable().getName());
  }

  /** The lower-case name and alias of the updated table. */
  private static Set<String> tables(Update u) {
    Set<String> tables = new java.util.HashSet<>();
    if (u.getTable() != null) {
      tables.add(unquote(u.getTable().getName()));
      if (u.getTable().getAlias() != null) {
        tables.add(unquote(u.getTable().getAlias().getName()));
      }
    }
    return tables;
  }

  /** Whether every value set by {@code u} is derived from the row without loss. */
  static boolean backfill(Update u) {
    if (u.getUpdateSets() == null || u.getUpdateSets().isEmpty()) {
      return false;
    }
    Set<String> tables = tables(u);
    for (UpdateSet set : u.getUpdateSets()) {
      for (int i = 0; i < set.getValues().size(); i++) {
        Column target = i < set.getColumns().size() ? set.getColumns().get(i) : null;
        String name = target == null ? null : target.getColumnName().toLowerCase(Locale.ROOT);
        Expression value = set.getValues().get(i);
        if (!fillsNulls(value, name, tables) && !derivedFromRow(value, name, tables)) {
          return false;
        }
      }
    }
    return true;
  }

  /**
   * The columns {@code u} sets (lower case, unquoted), or null when a set item names none (a
   * row-valued {@code SET (a, b) = (SELECT …)} is read by its column list).
   */
  static List<String> columns(Update u) {
    if (u.getUpdateSets() == null || u.getUpdateSets().isEmpty()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (UpdateSet set : u.getUpdateSets()) {
      if (set.getColumns() == null || set.getColumns().isEmpty()) {
        return null;
      }
      for (Column c : set.getColumns()) {
        out.add(unquote(c.getColumnName()));
      }
    }
    return out;
  }

  /**
   * {@code SET c = COALESCE(c, …)}: only the rows where {@code c} is NULL change, every stored
   * value is kept (PostgreSQL manual, "Conditional Expressions": COALESCE returns its first
   * non-null argument) — the same as {@code SET c = … WHERE c IS NULL}.
   */
  private static boolean fillsNulls(Expression value, String target, Set<String> tables) {
    if (target == null
        || !(value instanceof Function f)
        || f.getName() == null
        || !f.getName().equalsIgnoreCase("coalesce")
        || f.getParameters() == null
        || f.getParameters().isEmpty()
        || !(f.getParameters().get(0) instanceof Column first)) {
      return false;
    }
    return own(first, target, tables);
  }

  /**
   * @param value the new value
   * @param target the lower-case name of the column it replaces, or null when not known
   * @param tables the lower-case name and alias of the updated table: a column qualified by another
   *     table (an {@code UPDATE … FROM} source) is never the column it replaces
   */
  private static boolean derivedFromRow(Expression value, String target, Set<String> tables) {
    AtomicBoolean column = new AtomicBoolean();
    AtomicBoolean inPlace = new AtomicBoolean();
    AtomicBoolean transformed = new AtomicBoolean();
    AtomicBoolean lossy = new AtomicBoolean();
    value.accept(
        new ExpressionVisitorAdapter<Void>() {
          @Override
          public <S> Void visit(Column c, S context) {
            String n = c.getColumnName().toLowerCase(Locale.ROOT);
            if (!n.equals("true") && !n.equals("false") && !n.equals("default")) {
              column.set(true);
              String q = qualifier(c);
              if (n.equals(target) && (q == null || tables.contains(q))) {
                inPlace.set(true);
              }
            }
            return null;
          }

          @Override
          public <S> Void visit(Function f, S context) {
            String name = f.getName() == null ? "" : f.getName().toLowerCase(Locale.ROOT);
            if (ADDS_TO_JSON.contains(name)
                && f.getParameters() != null
                && !f.getParameters().isEmpty()
                && own(f.getParameters().get(0), target, tables)) {
              // json_set(c, '$.k', v) into c: c's keys are kept, the other arguments are the
              // keys and values added (read as a value only when they read c again)
              column.set(true);
              inPlace.set(true);
              if (removes(f)) {
                transformed.set(true);
              }
              List<?> params = f.getParameters();
              for (int k = 1; k < params.size(); k++) {
                if (params.get(k) instanceof Expression e && reads(e, target, tables)) {
                  e.accept(this, context);
                }
              }
              return null;
            }
            if (LOSSY.contains(name)) {
              lossy.set(true);
            } else if (!KEEPS_INPUT.contains(name)) {
              transformed.set(true);
            }
            return super.visit(f, context);
          }

          @Override
          public <S> Void visit(TrimFunction t, S context) {
            transformed.set(true); // TRIM(c), TRIM(BOTH 'x' FROM c): SQL syntax, not a call
            return super.visit(t, context);
          }

          @Override
          public <S> Void visit(ExtractExpression e, S context) {
            lossy.set(true); // EXTRACT(field FROM c) keeps one field, like date_trunc
            return super.visit(e, context);
          }

          @Override
          protected <S> Void visitBinaryExpression(BinaryExpression b, S context) {
            if (b instanceof Division || b instanceof IntegerDivision || b instanceof Modulo) {
              transformed.set(true); // dividing a value in place cuts it
            } else if (b instanceof Subtraction && namesKey(b.getRightExpression())) {
              transformed.set(true); // settings - 'legacy' removes a key (jsonb, hstore)
            } else if (b instanceof Multiplication) {
              // scaling a value in place (seconds to milliseconds) changes the unit the running
              // version reads every row in, and only the reverse migration scales it back
              transformed.set(true);
            } else if (b instanceof BitwiseAnd
                || b instanceof BitwiseOr
                || b instanceof BitwiseLeftShift
                || b instanceof BitwiseRightShift) {
              transformed.set(true); // flags & 1 clears bits, flags | 4 sets them: not undone
            }
            return super.visitBinaryExpression(b, context);
          }

          @Override
          public <S> Void visit(CastExpression c, S context) {
            String type = c.getColDataType().toString().toLowerCase(Locale.ROOT);
            if (type.matches(".*\\(.*") || type.matches("(small)?int.*|date")) {
              lossy.set(true); // a bounded or narrower type can cut the value
            }
            return super.visit(c, context);
          }

          @Override
          public <S> Void visit(ParenthesedSelect s, S context) {
            lossy.set(true); // a value from elsewhere replaces the row's own
            return null;
          }
        },
        null);
    return column.get() && !lossy.get() && !(inPlace.get() && transformed.get());
  }

  /**
   * Whether {@code e} is the column {@code target} of the updated table ({@code tables}), as is or
   * through a cast ({@code settings::jsonb}).
   */
  private static boolean own(Object e, String target, Set<String> tables) {
    while (e instanceof CastExpression c) {
      e = c.getLeftExpression();
    }
    if (target == null || !(e instanceof Column c)) {
      return false;
    }
    String q = qualifier(c);
    return unquote(c.getColumnName()).equals(unquote(target)) && (q == null || tables.contains(q));
  }

  /** Whether {@code e} reads the column {@code target} of the updated table ({@code tables}). */
  private static boolean reads(Expression e, String target, Set<String> tables) {
    AtomicBoolean found = new AtomicBoolean();
    e.accept(
        new ExpressionVisitorAdapter<Void>() {
          @Override
          public <S> Void visit(Column c, S context) {
            if (own(c, target, tables)) {
              found.set(true);
            }
            return null;
          }
        },
        null);
    return found.get();
  }

  /**
   * Whether a call of {@link #ADDS_TO_JSON} drops something of its first argument: a path argument
   * of {@code '$'} (the whole value replaced) or, for {@code json_patch}, a patch that sets a key
   * to {@code null} (RFC 7396: the key is removed).
   */
  private static boolean removes(Function f) {
    boolean patch = f.getName().equalsIgnoreCase("json_patch");
    for (Object p : f.getParameters()) {
      if (p instanceof StringValue s
          && (s.getValue().trim().equals("$")
              || patch && s.getValue().matches("(?s).*:\\s*null\\s*[,}].*"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether the right operand of a subtraction names keys to remove rather than an amount: a string
   * ({@code settings - 'legacy'}, also cast to {@code text[]}) that is not an interval ({@code '1
   * day'}), or an array.
   */
  private static boolean namesKey(Expression right) {
    Expression e = right;
    String type = "";
    while (e instanceof CastExpression c) {
      type = c.getColDataType().toString().toLowerCase(Locale.ROOT);
      e = c.getLeftExpression();
    }
    if (e instanceof net.sf.jsqlparser.expression.ArrayConstructor) {
      return true;
    }
    return e instanceof StringValue s
        && !type.startsWith("interval")
        && !type.startsWith("date")
        && !type.startsWith("time")
        && !s.getValue().trim().matches("(?i)[-+]?[0-9.]+\\s*[a-z]+.*|[0-9:.\\s-]+");
  }
}
