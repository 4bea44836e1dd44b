package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Rails migration's loop over a literal list of names ({@code %i[nests perches].each do |t|},
 * {@code tables = %w[a b]} then {@code tables.each do |table|}): a schema call inside it whose
 * first argument is the loop variable ({@code change_column table, :created_at, …}) runs once per
 * name, and is read as one call per name.
 */
final class RubyListLoops {

  /** Locals holding a literal list of names, by name. */
  private final Map<String, List<String>> lists = new HashMap<>();

  /** Records {@code name = [literal list]}; returns whether {@code st} was one. */
  boolean assignment(Statement st) {
    List<Token> t = st.tokens();
    if (t.size() > 3 && t.get(0).kind() == Kind.IDENT && t.get(1).is("=")) {
      List<String> names = literal(t.subList(2, t.size()));
      if (names != null) {
        lists.put(t.get(0).text(), names);
        return true;
      }
    }
    return false;
  }

  /**
   * {@code call} once per name when its first argument is the variable of a loop over a literal
   * list among {@code st}'s blocks, else {@code call} alone.
   */
  List<Call> expand(Statement st, Call call) {
    if (call.args().isEmpty()
        || call.args().get(0).size() != 1
        || call.args().get(0).get(0).kind() != Kind.IDENT) {
      return List.of(call);
    }
    Token var = call.args().get(0).get(0);
    for (Block b : st.blocks()) {
      List<String> names = loopList(b);
      if (names != null && b.params.size() == 1 && b.params.get(0).equals(var.text())) {
        List<Call> out = new ArrayList<>();
        for (String n : names) {
          List<List<Token>> args = new ArrayList<>(call.args());
          args.set(0, List.of(new Token(Kind.SYMBOL, n, var.line(), false)));
          out.add(new Call(call.name(), args, call.kwargs(), call.line()));
        }
        return out;
      }
    }
    return List.of(call);
  }

  /** The names a block's opener iterates over ({@code LIST.each do |v|}), or null. */
  private List<String> loopList(Block b) {
    List<Token> o = b.opener.tokens();
    int dot = -1;
    for (int i = o.size() - 2; i > 0; i--) {
      if (o.get(i).is(".") && o.get(i + 1).is("each")) {
        dot = i;
        break;
      }
    }
    if (dot < 0) {
      return null;
    }
    List<Token> receiver = o.subList(0, dot);
    if (receiver.size() == 1 && receiver.get(0).kind() == Kind.IDENT) {
      return lists.get(receiver.get(0).text());
    }
    return literal(receiver);
  }

  /** The names of {@code [:a, "b"]} or {@code %i[a b]} (read as such a list), or null. */
  private static List<String> literal(List<Token> t) {
    if (t.size() < 3 || !t.get(0).is("[") || !t.get(t.size() - 1).is("]")) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Token x : t.subList(1, t.size() - 1)) {
      if (x.kind() == Kind.SYMBOL || x.kind() == Kind.STRING && !x.interpolated()) {
        out.add(x.text());
      } else if (!x.is(",")) {
        return null;
      }
    }
    return out.isEmpty() ? null : out;
  }
}
