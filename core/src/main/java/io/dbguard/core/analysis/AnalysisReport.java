package io.dbguard.core.analysis;

import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.analysis.seed.SeedClassification;
import io.dbguard.core.report.ExitCode;
import java.util.List;

/**
 * The result of {@link Analyzer#analyze} / {@link
 * io.dbguard.core.analysis.seed.SeedAnalyzer#analyze}: every file read, every finding (acknowledged
 * ones included, marked), and the seed classification of each seed file.
 *
 * @param files in analysis order
 * @param findings in file order, then line order
 * @param seeds one classification per seed file (empty for migration-only runs)
 */
public record AnalysisReport(
    List<AnalyzedFile> files, List<Finding> findings, List<SeedClassification> seeds) {

  /** Unacknowledged refuse findings: these block a run (docs/design.md §3 "analyze"). */
  public List<Finding> blocking() {
    return findings.stream().filter(Finding::blocking).toList();
  }

  /** Unacknowledged warn findings. */
  public List<Finding> warnings() {
    return findings.stream().filter(f -> !f.acknowledged() && f.verdict() == Verdict.WARN).toList();
  }

  /** Unacknowledged notice findings (hygiene and review). */
  public List<Finding> notices() {
    return findings.stream()
        .filter(f -> !f.acknowledged() && f.verdict() == Verdict.NOTICE)
        .toList();
  }

  /** Acknowledged findings (reported, never blocking). */
  public List<Finding> acknowledged() {
    return findings.stream().filter(Finding::acknowledged).toList();
  }

  /**
   * A one-line summary for a status condition, an Event or a termination message, at most {@code
   * maxChars} characters: {@code "2 refused (DBG101 db/V1__x.sql:3, DBG102 …), 1 warning, 0
   * acknowledged"}. Blocking findings are listed first, then warnings, while they fit.
   *
   * @param maxChars the limit (≥ 40)
   */
  public String summary(int maxChars) {
    String tail =
        String.format(
            java.util.Locale.ROOT,
            ", %d warning(s)%s, %d acknowledged",
            warnings().size(),
            notices().isEmpty() ? "" : ", " + notices().size() + " notice(s)",
            acknowledged().size());
    StringBuilder head = new StringBuilder(blocking().size() + " refused");
    List<Finding> listed = new java.util.ArrayList<>(blocking());
    listed.addAll(warnings());
    StringBuilder items = new StringBuilder();
    int shown = 0;
    for (Finding f : listed) {
      String item = (shown == 0 ? "" : ", ") + f.ruleId() + " " + f.file() + ":" + f.line();
      if (head.length() + items.length() + item.length() + tail.length() + 8 > maxChars) {
        break;
      }
      items.append(item);
      shown++;
    }
    if (shown > 0) {
      head.append(" (").append(items).append(shown < listed.size() ? ", …" : "").append(')');
    }
    String out = head + tail;
    return out.length() <= maxChars ? out : out.substring(0, Math.max(0, maxChars - 1)) + "…";
  }

  /**
   * The process exit code: {@link ExitCode#REFUSED} (2) when an unacknowledged refusal exists;
   * {@link ExitCode#WARNINGS} (1) when {@code failOn} is {@link Verdict#WARN} or {@link
   * Verdict#NOTICE} and an unacknowledged finding of that level or a more severe one exists; else
   * {@link ExitCode#OK} (0).
   */
  public ExitCode exitCode(Verdict failOn) {
    if (!blocking().isEmpty()) {
      return ExitCode.REFUSED;
    }
    boolean fails =
        findings.stream().anyMatch(f -> !f.acknowledged() && f.verdict().atLeast(failOn));
    return fails ? ExitCode.WARNINGS : ExitCode.OK;
  }
}
