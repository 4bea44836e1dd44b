package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.PythonSource.Call;
import io.dbguard.core.analysis.frontend.PythonSource.Kind;
import io.dbguard.core.analysis.frontend.PythonSource.Name;
import io.dbguard.core.analysis.frontend.PythonSource.Node;
import io.dbguard.core.analysis.frontend.PythonSource.Token;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Django seed's {@code for} loop over the rows of a queryset filtered to those that lack a
 * related row ({@code for m in Member.objects.filter(librarycard__isnull=True):}, or {@code
 * .exclude(librarycard__isnull=False)}). A {@code create} in its body of the model that relation
 * names, given the loop variable ({@code LibraryCard.objects.create(member=m)}, {@code
 * member_id=m.pk}), gives each such row what it lacked, so a rerun's loop finds no row: the create
 * is idempotent. The relation names the model by Django's default related query name, the model's
 * name in lower case (Django documentation, "Making queries", "Lookups that span relationships"),
 * or by a {@code related_name} that spells the model's name in snake case ({@code cover_image} for
 * {@code CoverImage}); any other create in the loop, or one that does not set the relation from the
 * loop variable, stays non-idempotent.
 *
 * @param indent the indentation of the {@code for} line (its body is indented deeper)
 * @param variable the loop variable
 * @param relations the relations the queryset requires to be missing, lower case without
 *     underscores
 * @param queryset the text of the loop's queryset, for the classification's reason
 */
record MissingRowsLoop(int indent, String variable, Set<String> relations, String queryset) {

  private static final Pattern MISSING =
      Pattern.compile(
          "\\.(filter|exclude)\\(([^()]*)\\)", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern ISNULL = Pattern.compile("\\b(\\w+?)__isnull=(True|False)\\b");

  /**
   * The loop that starts at token {@code at} ({@code for}), or {@code null} when it is not a loop
   * over rows that lack a related row.
   *
   * @param querysets variables holding a queryset, mapped to its text
   */
  static MissingRowsLoop of(PythonSource ps, int at, int indent, Map<String, String> querysets) {
    List<Token> toks = ps.tokens();
    if (at + 3 >= toks.size()
        || toks.get(at + 1).kind() != Kind.NAME
        || !toks.get(at + 2).is("in")) {
      return null;
    }
    Node iterable = ps.parseAt(at + 3);
    String text = PythonSource.text(iterable);
    if (iterable instanceof Name n && querysets.containsKey(n.dotted())) {
      text = querysets.get(n.dotted());
    }
    if (!text.contains(".objects.") && !text.contains("._default_manager.")) {
      return null;
    }
    Set<String> relations = new HashSet<>();
    Matcher m = MISSING.matcher(text);
    while (m.find()) {
      boolean exclude = m.group(1).equalsIgnoreCase("exclude");
      Matcher k = ISNULL.matcher(m.group(2));
      while (k.find()) {
        if (k.group(2).equals(exclude ? "False" : "True") && !k.group(1).contains("__")) {
          relations.add(normal(k.group(1)));
        }
      }
    }
    return relations.isEmpty()
        ? null
        : new MissingRowsLoop(indent, toks.get(at + 1).text(), relations, text);
  }

  /** Whether {@code create} of {@code model} gives the loop's row the related row it lacks. */
  boolean fills(String model, Call create) {
    if (model == null || !relations.contains(normal(model))) {
      return false;
    }
    for (Node v : create.kwargs().values()) {
      String t = PythonSource.text(v);
      if (t.equals(variable) || t.equals(variable + ".pk") || t.equals(variable + ".id")) {
        return true;
      }
    }
    return false;
  }

  /** Why the create is idempotent, for the classification's reason. */
  String why() {
    return "creates what each row of " + queryset + " lacks: a rerun finds no such row";
  }

  private static String normal(String name) {
    return name.replace("_", "").toLowerCase(Locale.ROOT);
  }
}
