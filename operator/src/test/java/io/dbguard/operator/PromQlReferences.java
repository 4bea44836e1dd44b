package io.dbguard.operator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.testcluster.TestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The series the chart's PromQL names — the PrometheusRule's {@code expr}s and the Grafana
 * dashboard's targets — checked against a {@code /metrics} scrape: every metric name must be a
 * sample name the scrape holds, and every label matcher of a selector must be satisfiable by one of
 * its series ({@code =} the same value, {@code =~} a value matching, {@code !=}/{@code !~} the
 * label named). A reference check, not a PromQL evaluator: functions, aggregation clauses ({@code
 * by}, {@code without}, {@code on}, {@code ignoring}), range and offset selectors and string
 * literals are stripped; the identifiers left are metric names.
 */
final class PromQlReferences {
  private PromQlReferences() {}

  /** PromQL keywords that look like identifiers. */
  private static final Set<String> KEYWORDS =
      Set.of(
          "by",
          "without",
          "on",
          "ignoring",
          "group_left",
          "group_right",
          "bool",
          "and",
          "or",
          "unless",
          "offset",
          "inf",
          "nan");

  private static final Pattern SELECTOR =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
  private static final Pattern MATCHER =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"([^\"]*)\"");
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+$");
  private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

  /** The PrometheusRule template. */
  static Path rule() {
    return TestCluster.repoRoot().resolve("helm/dbguard/templates/prometheusrule.yaml");
  }

  /** The Grafana dashboard. */
  static Path dashboard() {
    return TestCluster.repoRoot().resolve("helm/dbguard/dashboards/dbguard.json");
  }

  /** The {@code expr:} values of a PrometheusRule template (one line each). */
  static List<String> ruleExpressions(Path template) throws IOException {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\s*expr: (.*)$").matcher(Files.readString(template));
    while (m.find()) {
      out.add(m.group(1).trim());
    }
    return out;
  }

  /** Every {@code expr} of every target (and query variable) of a Grafana dashboard. */
  static List<String> dashboardExpressions(Path json) throws IOException {
    List<String> out = new ArrayList<>();
    collect(new ObjectMapper().readTree(json.toFile()), out);
    return out;
  }

  private static void collect(JsonNode node, List<String> out) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("expr") && e.getValue().isTextual()) {
                  out.add(e.getValue().asText());
                } else {
                  collect(e.getValue(), out);
                }
              });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, out));
    }
  }

  /** The metric names an expression refers to. */
  static List<String> metricNames(String expr) {
    String s = SELECTOR.matcher(expr).replaceAll("$1");
    s = s.replaceAll("\"[^\"]*\"", " ");
    s = s.replaceAll("\\[[^\\]]*]", " ");
    s = s.replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
    s = s.replaceAll("\\boffset\\s+\\S+", " ");
    List<String> names = new ArrayList<>();
    Matcher id = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(s);
    while (id.find()) {
      if (id.group(2) != null || KEYWORDS.contains(id.group(1).toLowerCase())) {
        continue; // a function call or a keyword
      }
      names.add(id.group(1));
    }
    return names;
  }

  /** The selectors with label matchers: metric name → matchers (label, operator, value). */
  static List<Map.Entry<String, List<String[]>>> selectors(String expr) {
    List<Map.Entry<String, List<String[]>>> out = new ArrayList<>();
    Matcher sel = SELECTOR.matcher(expr);
    while (sel.find()) {
      List<String[]> matchers = new ArrayList<>();
      Matcher m = MATCHER.matcher(sel.group(2));
      while (m.find()) {
        matchers.add(new String[] {m.group(1), m.group(2), m.group(3)});
      }
      out.add(Map.entry(sel.group(1), matchers));
    }
    return out;
  }

  /** Sample name → the label sets of its series, from a scrape in the Prometheus text format. */
  static Map<String, List<Map<String, String>>> series(String scrape) {
    Map<String, List<Map<String, String>>> out = new HashMap<>();
    for (String line : scrape.split("\n")) {
      Matcher m = SAMPLE.matcher(line);
      if (line.startsWith("#") || !m.matches()) {
        continue;
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(2) != null) {
        Matcher l = LABEL.matcher(m.group(2));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      out.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(labels);
    }
    return out;
  }

  /**
   * What {@code expressions} refer to that {@code scrape} does not hold, one line each (empty when
   * everything is there).
   */
  static List<String> missing(List<String> expressions, String scrape) {
    Map<String, List<Map<String, String>>> series = series(scrape);
    List<String> missing = new ArrayList<>();
    for (String expr : expressions) {
      for (String name : metricNames(expr)) {
        if (!series.containsKey(name)) {
          missing.add(name + " (in " + expr + ")");
        }
      }
      for (Map.Entry<String, List<String[]>> sel : selectors(expr)) {
        List<Map<String, String>> sets = series.getOrDefault(sel.getKey(), List.of());
        boolean any = sets.stream().anyMatch(labels -> satisfies(labels, sel.getValue()));
        if (!sets.isEmpty() && !any) {
          missing.add(sel.getKey() + " with " + describe(sel.getValue()) + " (in " + expr + ")");
        }
      }
    }
    return missing;
  }

  private static boolean satisfies(Map<String, String> labels, List<String[]> matchers) {
    for (String[] m : matchers) {
      String v = labels.get(m[0]);
      if (v == null) {
        return false;
      }
      boolean ok =
          switch (m[1]) {
            case "=" -> v.equals(m[2]);
            case "=~" -> v.matches(m[2]);
            default -> true;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String describe(List<String[]> matchers) {
    List<String> parts = new ArrayList<>();
    for (String[] m : matchers) {
      parts.add(m[0] + m[1] + "\"" + m[2] + "\"");
    }
    return "{" + String.join(",", parts) + "}";
  }
}
