package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Method-call chains of one Ruby statement: {@code add_column :users, :x, :string, null: false} is
 * one segment with positional and keyword arguments; {@code User.where(a: 1).update_all(b: 2)} is
 * three segments. A constant path is one segment named by the whole path ({@code
 * Admin::User.delete_all} is {@code Admin::User}, {@code delete_all}; a leading {@code ::} is
 * dropped), so a namespaced model is a receiver as a plain one is. Arguments without parentheses
 * run to the end of the statement or to a modifier {@code if}/{@code unless}.
 */
final class RubyCalls {

  /** One call segment. */
  record Call(String name, List<List<Token>> args, Map<String, List<Token>> kwargs, int line) {

    /** Positional argument {@code i} as a symbol/string name, or {@code null}. */
    String name(int i) {
      if (i >= args.size() || args.get(i).size() != 1) {
        return null;
      }
      Token t = args.get(i).get(0);
      return t.kind() == Kind.SYMBOL || t.kind() == Kind.STRING ? t.text() : null;
    }

    /** Keyword argument text ({@code "false"}, {@code ":concurrently"}), or {@code null}. */
    String kw(String key) {
      List<Token> v = kwargs.get(key);
      if (v == null) {
        return null;
      }
      StringBuilder sb = new StringBuilder();
      for (Token t : v) {
        sb.append(t.kind() == Kind.SYMBOL ? ":" + t.text() : t.text());
      }
      return sb.toString();
    }

    /**
     * The content of a keyword argument that is one string literal without interpolation ({@code
     * using: "id::text"} → {@code id::text}), {@code ""} for any other value, {@code null} when the
     * argument is absent.
     */
    String kwString(String key) {
      List<Token> v = kwargs.get(key);
      if (v == null) {
        return null;
      }
      return v.size() == 1 && v.get(0).kind() == Kind.STRING && !v.get(0).interpolated()
          ? v.get(0).text()
          : "";
    }

    boolean hasKw(String key) {
      return kwargs.containsKey(key);
    }

    /** The keyword argument's tokens or an empty list. */
    List<Token> kwTokens(String key) {
      return kwargs.getOrDefault(key, List.of());
    }
  }

  /** The chain and what follows it. */
  record Chain(List<Call> calls, String assignedTo, List<Token> modifier) {}

  private RubyCalls() {}

  static Chain chain(List<Token> toks) {
    int i = 0;
    String assigned = null;
    if (toks.size() > 2
        && toks.get(0).kind() == Kind.IDENT
        && (toks.get(1).is("=") || toks.get(1).is("||="))) {
      assigned = toks.get(0).text();
      i = 2;
    }
    // strip the modifier: `… if cond` / `… unless cond` at depth 0
    int end = toks.size();
    List<Token> modifier = List.of();
    int depth = 0;
    for (int k = i; k < toks.size(); k++) {
      Token t = toks.get(k);
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      } else if (depth == 0
          && k > i
          && t.kind() == Kind.IDENT
          && Set.of("if", "unless", "while", "until", "rescue").contains(t.text())) {
        end = k;
        modifier = toks.subList(k, toks.size());
        break;
      }
    }
    if (end > i && (toks.get(end - 1).is("do") || toks.get(end - 1).is("{"))) {
      end--;
    }
    List<Call> calls = new ArrayList<>();
    int k = i;
    while (k < end) {
      Token t = toks.get(k);
      if (t.kind() != Kind.IDENT) {
        k++;
        continue;
      }
      int next = k + 1;
      if (isConstant(t.text())) {
        // Admin::User, Tasks::Models::TaskedExercise: one receiver named by its whole path
        StringBuilder path = new StringBuilder(t.text());
        while (next + 1 < end
            && toks.get(next).is("::")
            && toks.get(next + 1).kind() == Kind.IDENT
            && isConstant(toks.get(next + 1).text())) {
          path.append("::").append(toks.get(next + 1).text());
          next += 2;
        }
        t = new Token(t.kind(), path.toString(), t.line(), t.interpolated());
      }
      if (next < end && toks.get(next).is("(")) {
        int close = matching(toks, next, end);
        calls.add(call(t, toks.subList(next + 1, close)));
        k = close + 1;
      } else if (next < end
          && (toks.get(next).is(".") || toks.get(next).is("&.") || toks.get(next).is("::"))) {
        calls.add(call(t, List.of()));
        k = next + 1;
      } else if (next < end && toks.get(next).is("[")) {
        int close = matching(toks, next, end);
        calls.add(call(t, toks.subList(next + 1, close)));
        k = close + 1;
      } else {
        calls.add(call(t, toks.subList(next, end)));
        break;
      }
      while (k < end && (toks.get(k).is(".") || toks.get(k).is("&.") || toks.get(k).is("::"))) {
        k++;
      }
    }
    return new Chain(calls, assigned, modifier);
  }

  /** Whether {@code name} is a Ruby constant (starts with a capital): a class, module or value. */
  static boolean isConstant(String name) {
    return !name.isEmpty() && Character.isUpperCase(name.charAt(0));
  }

  /**
   * The outermost namespace of a constant path ({@code ActiveRecord::Base} → {@code ActiveRecord}),
   * the name itself when it has none.
   */
  static String outermost(String constant) {
    int i = constant.indexOf("::");
    return i < 0 ? constant : constant.substring(0, i);
  }

  /**
   * The innermost name of a constant path ({@code Foo::DEFAULTS} → {@code DEFAULTS}), the name
   * itself when it has none.
   */
  static String innermost(String constant) {
    int i = constant.lastIndexOf("::");
    return i < 0 ? constant : constant.substring(i + 2);
  }

  /**
   * The index of the parenthesis, square bracket or brace that closes the one at {@code open}, or
   * {@code end} when none does before it.
   */
  static int matching(List<Token> toks, int open, int end) {
    int depth = 0;
    for (int k = open; k < end; k++) {
      Token t = toks.get(k);
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
        if (depth == 0) {
          return k;
        }
      }
    }
    return end;
  }

  private static Call call(Token name, List<Token> argToks) {
    List<List<Token>> pos = new ArrayList<>();
    Map<String, List<Token>> kw = new LinkedHashMap<>();
    for (List<Token> arg : splitTopLevel(argToks)) {
      if (arg.isEmpty()) {
        continue;
      }
      if (arg.size() >= 2
          && arg.get(1).is("=>")
          && (arg.get(0).kind() == Kind.IDENT
              || arg.get(0).kind() == Kind.SYMBOL
              || arg.get(0).kind() == Kind.STRING)) {
        kw.put(arg.get(0).text(), arg.subList(2, arg.size()));
      } else if (arg.size() == 1 && arg.get(0).is("{")) {
        // empty hash
      } else if (arg.get(0).is("{")) {
        // explicit hash: flatten its pairs into kwargs
        for (List<Token> pair : splitTopLevel(arg.subList(1, Math.max(1, arg.size() - 1)))) {
          if (pair.size() >= 2 && pair.get(1).is("=>")) {
            kw.put(pair.get(0).text(), pair.subList(2, pair.size()));
          }
        }
      } else {
        pos.add(arg);
      }
    }
    return new Call(name.text(), pos, kw, name.line());
  }

  static List<List<Token>> splitTopLevel(List<Token> toks) {
    List<List<Token>> out = new ArrayList<>();
    List<Token> cur = new ArrayList<>();
    int depth = 0;
    for (Token t : toks) {
      if (t.is("(") || t.is("[") || t.is("{")) {
        depth++;
      } else if (t.is(")") || t.is("]") || t.is("}")) {
        depth--;
      } else if (t.is(",") && depth == 0) {
        out.add(cur);
        cur = new ArrayList<>();
        continue;
      }
      cur.add(t);
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }
}
