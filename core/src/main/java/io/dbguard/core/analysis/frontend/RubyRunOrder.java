package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The statements of a Rails migration in the order they run. A migration's {@code up} or {@code
 * change} often calls helper methods defined further down the class ({@code def
 * create_duplicates_table … end}); read in file order, a helper's {@code CREATE TABLE} would come
 * after the {@code DROP TABLE} that {@code up} runs once the helper returned. Here a helper's body
 * is placed at each call in {@code up}/{@code change} (and in the helpers they call), and left out
 * where only {@code down} calls it (rollback code). A helper nothing calls stays where it is, as
 * before.
 */
final class RubyRunOrder {

  /** Methods the migration runner itself calls. */
  private static final Set<String> ENTRY = Set.of("up", "down", "change");

  private static final int MAX_DEPTH = 8;

  private RubyRunOrder() {}

  /** {@code all} reordered as described above; a file without helper methods is unchanged. */
  static List<Statement> of(List<Statement> all) {
    Map<String, List<Statement>> helpers = new LinkedHashMap<>();
    for (Statement st : all) {
      String name = defined(st.tokens());
      if (name != null && !ENTRY.contains(name)) {
        helpers.putIfAbsent(name, new ArrayList<>());
      }
    }
    if (helpers.isEmpty()) {
      return all;
    }
    for (Statement st : all) {
      String owner = innermostDef(st);
      if (owner != null && helpers.containsKey(owner)) {
        helpers.get(owner).add(st);
      }
    }
    Set<String> called = new HashSet<>();
    for (Statement st : all) {
      String c = calledHelper(st, helpers);
      if (c != null) {
        called.add(c);
      }
    }
    List<Statement> out = new ArrayList<>();
    for (Statement st : all) {
      String owner = innermostDef(st);
      String defines = defined(st.tokens());
      if ((owner != null && called.contains(owner))
          || (defines != null && called.contains(defines))) {
        continue; // emitted at its calls
      }
      emit(st, helpers, out, new HashSet<>(), 0);
    }
    return out;
  }

  private static void emit(
      Statement st,
      Map<String, List<Statement>> helpers,
      List<Statement> out,
      Set<String> active,
      int depth) {
    out.add(st);
    String c = calledHelper(st, helpers);
    if (c == null || inDown(st) || depth >= MAX_DEPTH || !active.add(c)) {
      return;
    }
    for (Statement inner : helpers.get(c)) {
      emit(inner, helpers, out, active, depth + 1);
    }
    active.remove(c);
  }

  /** The helper a statement calls as a bare method ({@code name} or {@code name(…)}), or null. */
  private static String calledHelper(Statement st, Map<String, List<Statement>> helpers) {
    List<Token> t = st.tokens();
    if (t.isEmpty() || !helpers.containsKey(t.get(0).text()) || t.get(0).is("def")) {
      return null;
    }
    return t.size() == 1 || t.get(1).is("(") ? t.get(0).text() : null;
  }

  /** {@code def name} / {@code def self.name}: the name, else null. */
  private static String defined(List<Token> o) {
    if (o.size() >= 2 && o.get(0).is("def")) {
      return o.size() >= 4 && o.get(1).is("self") && o.get(2).is(".")
          ? o.get(3).text()
          : o.get(1).text();
    }
    return null;
  }

  private static String innermostDef(Statement st) {
    for (int i = st.blocks().size() - 1; i >= 0; i--) {
      String n = defined(st.blocks().get(i).opener.tokens());
      if (n != null) {
        return n;
      }
    }
    return null;
  }

  private static boolean inDown(Statement st) {
    for (Block b : st.blocks()) {
      if ("down".equals(defined(b.opener.tokens()))) {
        return true;
      }
    }
    return false;
  }
}
