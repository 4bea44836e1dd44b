package io.dbguard.core.analysis.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.AnalyzedFile;
import io.dbguard.core.analysis.Finding;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders an {@link AnalysisReport} in every {@link ReportFormat}. SARIF follows the OASIS SARIF
 * 2.1.0 specification (log → runs[] → tool.driver.rules[] and results[] with ruleId, ruleIndex,
 * level, message, locations[].physicalLocation.artifactLocation.uri/region.startLine; an
 * acknowledged finding carries {@code suppressions[]}, SARIF's way to keep a result that should not
 * fail the build). GitHub output uses the Actions workflow commands {@code ::error}, {@code
 * ::warning}, {@code ::notice} with escaped properties and data.
 */
public final class ReportWriter {

  /** The SARIF schema URI written to {@code $schema}. */
  public static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriter() {}

  /** Renders {@code report}; the text ends with a newline. */
  public static String render(AnalysisReport report, ReportFormat format) {
    return switch (format) {
      case TEXT -> text(report);
      case JSON -> json(report);
      case SARIF -> sarif(report);
      case GITHUB -> github(report);
    };
  }

  /** Human-readable text. */
  public static String text(AnalysisReport r) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : r.findings()) {
      sb.append(f.file())
          .append(':')
          .append(f.line())
          .append(": ")
          .append(f.acknowledged() ? "acknowledged " : "")
          .append(f.verdict().label())
          .append(' ')
          .append(f.ruleId())
          .append(' ')
          .append(f.rule().name())
          .append(": ")
          .append(f.message());
      if (f.acknowledged()) {
        sb.append(" [").append(f.acknowledgedBy()).append(']');
      }
      sb.append('\n');
    }
    for (AnalyzedFile f : r.files()) {
      if ("not-a-migration".equals(f.runner())) {
        sb.append(f.path())
            .append(": skipped: not a migration or seed (outside db/migrate, migrations/ and seed")
            .append(" paths, no ActiveRecord::Migration / migrations.Migration class)\n");
      }
    }
    for (SeedClassification s : r.seeds()) {
      sb.append(s.file())
          .append(": seed ")
          .append(s.idempotency().name().toLowerCase(Locale.ROOT).replace('_', '-'))
          .append(": ")
          .append(s.reason())
          .append('\n');
    }
    sb.append(
        String.format(
            Locale.ROOT,
            "%d file(s): %d refused, %d warning(s), %d notice(s), %d acknowledged%n",
            r.files().size(),
            r.blocking().size(),
            r.warnings().size(),
            r.notices().size(),
            r.acknowledged().size()));
    return sb.toString();
  }

  /** dbguard's JSON document. */
  public static String json(AnalysisReport r) {
    Map<String, Object> root = new LinkedHashMap<>();
    List<Map<String, Object>> files = new ArrayList<>();
    for (AnalyzedFile f : r.files()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("path", f.path());
      m.put("kind", f.kind().name());
      m.put("runner", f.runner());
      m.put("dialect", f.dialect());
      m.put("transactional", f.transactional());
      m.put("sha256", f.sha256());
      m.put("operations", f.operations());
      files.add(m);
    }
    List<Map<String, Object>> findings = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", f.ruleId());
      m.put("name", f.rule().name());
      m.put("verdict", f.verdict().label());
      m.put("file", f.file());
      m.put("line", f.line());
      m.put("message", f.message());
      m.put("acknowledged", f.acknowledged());
      if (f.acknowledged()) {
        m.put("acknowledgedBy", f.acknowledgedBy());
      }
      findings.add(m);
    }
    List<Map<String, Object>> seeds = new ArrayList<>();
    for (SeedClassification s : r.seeds()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", s.file());
      m.put("idempotency", s.idempotency().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      m.put("line", s.line());
      m.put("reason", s.reason());
      seeds.add(m);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("files", r.files().size());
    summary.put("blocking", r.blocking().size());
    summary.put("warnings", r.warnings().size());
    summary.put("notices", r.notices().size());
    summary.put("acknowledged", r.acknowledged().size());
    root.put("files", files);
    root.put("findings", findings);
    root.put("seeds", seeds);
    root.put("summary", summary);
    return write(root);
  }

  /** SARIF 2.1.0. */
  public static String sarif(AnalysisReport r) {
    List<Map<String, Object>> rules = new ArrayList<>();
    for (Rule rule : Rules.ALL) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", rule.id());
      m.put("name", rule.name());
      m.put("shortDescription", Map.of("text", rule.summary()));
      m.put("fullDescription", Map.of("text", rule.explanation()));
      m.put(
          "helpUri",
          "https://github.com/dbguard/dbguard/blob/main/docs/rules.md#"
              + rule.id().toLowerCase(Locale.ROOT));
      m.put("defaultConfiguration", Map.of("level", level(rule.verdict())));
      m.put("properties", Map.of("verdict", rule.verdict().label(), "sources", rule.sources()));
      rules.add(m);
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Finding f : r.findings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ruleId", f.ruleId());
      m.put("ruleIndex", Rules.ALL.indexOf(f.rule()));
      m.put("level", level(f.verdict()));
      m.put("message", Map.of("text", f.message()));
      Map<String, Object> physical = new LinkedHashMap<>();
      physical.put("artifactLocation", Map.of("uri", f.file().replace('\\', '/')));
      if (f.line() > 0) {
        physical.put("region", Map.of("startLine", f.line()));
      }
      m.put("locations", List.of(Map.of("physicalLocation", physical)));
      if (f.acknowledged()) {
        m.put(
            "suppressions",
            List.of(
                Map.of(
                    "kind",
                    f.acknowledgedBy().startsWith("acknowledged ") ? "external" : "inSource",
                    "justification",
                    f.acknowledgedBy())));
      }
      results.add(m);
    }
    Map<String, Object> driver = new LinkedHashMap<>();
    driver.put("name", "dbguard");
    driver.put("informationUri", "https://github.com/dbguard/dbguard");
    driver.put("semanticVersion", io.dbguard.core.DbguardVersion.current());
    driver.put("rules", rules);
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("tool", Map.of("driver", driver));
    run.put("results", results);
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("$schema", SARIF_SCHEMA);
    root.put("version", "2.1.0");
    root.put("runs", List.of(run));
    return write(root);
  }

  /** GitHub Actions annotations; acknowledged findings become notices. */
  public static String github(AnalysisReport r) {
    StringBuilder sb = new StringBuilder();
    for (Finding f : r.findings()) {
      String cmd =
          f.acknowledged()
              ? "notice"
              : switch (f.verdict()) {
                case REFUSE -> "error";
                case WARN -> "warning";
                case NOTICE -> "notice";
              };
      sb.append("::").append(cmd).append(" file=").append(property(f.file().replace('\\', '/')));
      if (f.line() > 0) {
        sb.append(",line=").append(f.line());
      }
      sb.append(",title=").append(property(f.ruleId() + " " + f.rule().name()));
      sb.append("::")
          .append(
              data(
                  f.message()
                      + (f.acknowledged() ? " (acknowledged: " + f.acknowledgedBy() + ")" : "")));
      sb.append('\n');
    }
    for (SeedClassification s : r.seeds()) {
      sb.append("::notice file=")
          .append(property(s.file().replace('\\', '/')))
          .append(",title=seed ")
          .append(property(s.idempotency().name().toLowerCase(Locale.ROOT)))
          .append("::")
          .append(data(s.reason()))
          .append('\n');
    }
    return sb.toString();
  }

  private static String level(Verdict v) {
    return v.sarifLevel();
  }

  /** Workflow-command data escaping. */
  static String data(String s) {
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
  }

  /** Workflow-command property escaping. */
  static String property(String s) {
    return data(s).replace(":", "%3A").replace(",", "%2C");
  }

  private static String write(Object o) {
    try {
      return JSON.writeValueAsString(o) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
