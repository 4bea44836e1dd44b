package io.dbguard.core.analysis.report;

import java.util.Locale;

/** Output formats of {@code dbguard lint} and {@code dbguard seeds check}. */
public enum ReportFormat {
  /** Human text: {@code file:line: verdict RULE name: message}. */
  TEXT,
  /** dbguard's JSON document (files, findings, seeds, summary). */
  JSON,
  /** SARIF 2.1.0 (one run; tool.driver.rules = every rule; acknowledged → suppressions). */
  SARIF,
  /** GitHub Actions workflow commands ({@code ::error file=…,line=…::}). */
  GITHUB;

  /** Case-insensitive parse. */
  public static ReportFormat parse(String s) {
    return valueOf(s.trim().toUpperCase(Locale.ROOT));
  }
}
