package io.dbguard.cli;

import io.dbguard.core.analysis.Acknowledgement;
import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.AnalysisReport;
import io.dbguard.core.analysis.InputFileException;
import io.dbguard.core.analysis.report.ReportFormat;
import io.dbguard.core.analysis.report.ReportWriter;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.report.ExitCode;
import io.dbguard.core.report.StepResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Options and exit-code handling shared by {@code lint} and {@code seeds check}. Exit codes ({@link
 * ExitCode}): 0 nothing fails; 1 no refusal, but warn (or notice) findings and {@code --fail-on
 * warn} ({@code notice}); 2 refuse findings; 3 dbguard failed; 4 bad arguments, a missing path, a
 * path that is not a regular file or a file over {@code --max-file-size}.
 */
abstract class AnalysisCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = {"--output", "--format"},
      defaultValue = "text",
      description =
          "text | json | sarif | github (default: ${DEFAULT-VALUE}); --format is a deprecated"
              + " alias of --output")
  String format;

  @Option(
      names = "--fail-on",
      defaultValue = "refuse",
      description =
          "refuse | warn | notice: the least severe level that fails (default: ${DEFAULT-VALUE})")
  String failOn;

  @Option(names = "--environment", description = "target environment (default: production)")
  String environment;

  @Option(names = "--dialect", description = "postgresql | sqlite (default: per file)")
  String dialect;

  @Option(
      names = "--max-file-size",
      paramLabel = "SIZE",
      description =
          "largest file read, in bytes or with a K/M/G suffix (powers of 1024);"
              + " larger files are refused (default: 128M)")
  String maxFileSize;

  @Option(
      names = "--acknowledge",
      paramLabel = "RULE:FILE[:SHA256]",
      description = "acknowledge a reviewed finding (repeatable)")
  List<String> acknowledge = new ArrayList<>();

  @Option(
      names = "--termination-log",
      paramLabel = "PATH",
      description =
          "Also write a step result JSON (step analyze: counts of refuse, warn, notice and"
              + " acknowledged findings) to PATH, e.g. /dev/termination-log in a Kubernetes Job.")
  Path terminationLog;

  /** Runs the analysis. */
  abstract AnalysisReport analyze(AnalysisOptions options) throws IOException;

  /**
   * The step result of an analysis for {@code --termination-log}: step {@code analyze}, the exit
   * code, reason {@code AnalysisPassed} (0), {@code AnalysisWarnings} (1) or {@code Blocked} (2),
   * the one-line summary as message and {@code details.refuse}, {@code details.warn}, {@code
   * details.notice} (unacknowledged findings) and {@code details.acknowledged}.
   */
  static StepResult result(AnalysisReport report, ExitCode exit) {
    String reason =
        switch (exit) {
          case OK -> "AnalysisPassed";
          case WARNINGS -> "AnalysisWarnings";
          default -> "Blocked";
        };
    Map<String, String> details = new LinkedHashMap<>();
    details.put("refuse", Integer.toString(report.blocking().size()));
    details.put("warn", Integer.toString(report.warnings().size()));
    details.put("notice", Integer.toString(report.notices().size()));
    details.put("acknowledged", Integer.toString(report.acknowledged().size()));
    return new StepResult(
        "analyze",
        exit.code(),
        reason,
        report.summary(StepResult.MESSAGE_CAP_CHARS),
        null,
        details);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ReportFormat fmt;
    Verdict threshold;
    List<Acknowledgement> acks = new ArrayList<>();
    long maxBytes;
    try {
      fmt = ReportFormat.parse(format);
      threshold = Verdict.valueOf(failOn.trim().toUpperCase(Locale.ROOT));
      for (String a : acknowledge) {
        acks.add(Acknowledgement.parse(a));
      }
      if (dialect != null && !dialect.equals("postgresql") && !dialect.equals("sqlite")) {
        throw new IllegalArgumentException("--dialect must be postgresql or sqlite");
      }
      maxBytes = maxFileSize == null ? 0 : ByteSize.parse("--max-file-size", maxFileSize);
    } catch (IllegalArgumentException e) {
      err.println("dbguard: " + e.getMessage());
      return ExitCode.USAGE.code();
    }
    try {
      AnalysisReport report = analyze(new AnalysisOptions(environment, dialect, acks, maxBytes));
      out.print(ReportWriter.render(report, fmt));
      out.flush();
      ExitCode exit = report.exitCode(threshold);
      if (terminationLog != null) {
        try {
          Files.writeString(
              terminationLog, result(report, exit).toTerminationMessage(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          err.println("dbguard: termination log: cannot write " + terminationLog + ": " + e);
        }
      }
      return exit.code();
    } catch (InputFileException e) {
      err.println("dbguard: " + e.getMessage());
      return ExitCode.USAGE.code();
    } catch (NoSuchFileException e) {
      err.println("dbguard: no such file or directory: " + e.getFile());
      return ExitCode.USAGE.code();
    } catch (IllegalArgumentException e) {
      err.println("dbguard: " + e.getMessage());
      return ExitCode.USAGE.code();
    } catch (IOException | RuntimeException e) {
      err.println("dbguard: analysis failed: " + e);
      return ExitCode.TOOL_ERROR.code();
    }
  }
}
