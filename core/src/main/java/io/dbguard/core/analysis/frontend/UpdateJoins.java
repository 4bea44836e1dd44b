package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Names;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.Alias;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.expression.operators.relational.ParenthesedExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.select.FromItem;
import net.sf.jsqlparser.statement.select.Join;
import net.sf.jsqlparser.statement.update.Update;

/**
 * Tells a PostgreSQL {@code UPDATE t … FROM s WHERE t.id = s.t_id} whose WHERE only joins the
 * target to the FROM tables from one that also filters. The first touches every row of {@code t}
 * that has a match in {@code s} — in a backfill, every row — and is judged like an UPDATE without
 * WHERE; the second is a scoped update.
 *
 * <p>A join condition is an equality of two columns qualified by different tables (or aliases), one
 * of them a FROM table; an unqualified column counts as the target's. The WHERE is join-only when
 * it is a conjunction ({@code AND}) of join conditions, at least one of them naming the target.
 * Anything else — a constant, {@code IS NULL}, a comparison of two columns of one table, an {@code
 * OR}, a filter on a FROM table alone — is a real filter.
 */
final class UpdateJoins {

  private UpdateJoins() {}

  /** Whether {@code u} has a FROM list and a WHERE that only joins its target to it. */
  static boolean joinOnly(Update u) {
    if (u.getWhere() == null || u.getFromItem() == null) {
      return false;
    }
    Set<String> target = new HashSet<>();
    add(target, u.getTable());
    Set<String> from = new HashSet<>();
    add(from, u.getFromItem());
    List<Join> joins = new ArrayList<>();
    if (u.getJoins() != null) {
      joins.addAll(u.getJoins());
    }
    if (u.getStartJoins() != null) {
      joins.addAll(u.getStartJoins());
    }
    for (Join j : joins) {
      add(from, j.getFromItem());
    }
    target.removeAll(from); // a self-join names the table on both sides: not judged
    if (target.isEmpty()) {
      return false;
    }
    List<Expression> conjuncts = new ArrayList<>();
    flatten(u.getWhere(), conjuncts);
    boolean joinsTarget = false;
    for (Expression e : conjuncts) {
      if (!(e instanceof EqualsTo eq)
          || !(eq.getLeftExpression() instanceof Column left)
          || !(eq.getRightExpression() instanceof Column right)) {
        return false;
      }
      String a = qualifier(left);
      String b = qualifier(right);
      boolean aTarget = a.isEmpty() || target.contains(a);
      boolean bTarget = b.isEmpty() || target.contains(b);
      boolean aFrom = from.contains(a);
      boolean bFrom = from.contains(b);
      if (a.equals(b) || !(aFrom || bFrom) || !(aTarget || aFrom) || !(bTarget || bFrom)) {
        return false;
      }
      joinsTarget |= aTarget || bTarget;
    }
    return joinsTarget;
  }

  /** The tables (not subqueries) of {@code u}'s FROM list and its joins, as {@link Names#table}. */
  static List<String> fromTables(Update u) {
    List<String> out = new ArrayList<>();
    List<FromItem> items = new ArrayList<>();
    items.add(u.getFromItem());
    for (List<Join> joins : Arrays.asList(u.getJoins(), u.getStartJoins())) {
      if (joins != null) {
        joins.forEach(j -> items.add(j.getFromItem()));
      }
    }
    for (FromItem item : items) {
      if (item instanceof Table t && t.getName() != null) {
        out.add(Names.table(t.getName()));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The conditions of {@code e} joined by AND, without the parentheses around them ({@code (a AND
   * b) AND (c)} → a, b, c); {@code e} alone when it is no AND.
   */
  static List<Expression> conjuncts(Expression e) {
    List<Expression> out = new ArrayList<>();
    flatten(e, out);
    return out;
  }

  private static void flatten(Expression e, List<Expression> out) {
    if (e instanceof AndExpression and) {
      flatten(and.getLeftExpression(), out);
      flatten(and.getRightExpression(), out);
    } else if (e instanceof Parenthesis p) {
      flatten(p.getExpression(), out);
    } else if (e instanceof ParenthesedExpressionList<?> list && list.size() == 1) {
      flatten((Expression) list.get(0), out);
    } else {
      out.add(e);
    }
  }

  private static void add(Set<String> names, FromItem item) {
    if (item instanceof Table t && t.getName() != null) {
      names.add(clean(t.getName()));
    }
    Alias alias = item == null ? null : item.getAlias();
    if (alias != null && alias.getName() != null) {
      names.add(clean(alias.getName()));
    }
  }

  private static String qualifier(Column c) {
    Table t = c.getTable();
    return t == null || t.getName() == null ? "" : clean(t.getName());
  }

  private static String clean(String name) {
    return name.replace("\"", "").toLowerCase(Locale.ROOT);
  }
}
