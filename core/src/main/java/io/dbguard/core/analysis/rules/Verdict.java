package io.dbguard.core.analysis.rules;

/**
 * The three levels of a finding, one meaning each, most severe first.
 *
 * <ul>
 *   <li>{@link #REFUSE}: loses data, or fails or breaks the running application on a populated
 *       database (a dropped or renamed table or column, a lossy type change, every row deleted or
 *       overwritten with constants, NOT NULL without a default). Blocks a run unless acknowledged.
 *       SARIF {@code error}.
 *   <li>{@link #WARN}: compatible, but locks, rewrites or scans an existing table (a non-concurrent
 *       index, a validated constraint, a rewriting type change, a backfill of every row). SARIF
 *       {@code warning}.
 *   <li>{@link #NOTICE}: hygiene and review items with no lock or data risk of their own (an
 *       unparsed statement, an unused suppression, a data migration without a reverse, a recognised
 *       table-rebuild idiom). SARIF {@code note}.
 * </ul>
 *
 * <p>{@code --fail-on} chooses the least severe level that fails a {@code lint}; refusals always
 * block a {@code run}.
 */
public enum Verdict {
  REFUSE,
  WARN,
  NOTICE;

  /** Lower-case name used in JSON/SARIF/text output. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether this level is {@code threshold} or more severe. */
  public boolean atLeast(Verdict threshold) {
    return ordinal() <= threshold.ordinal();
  }

  /** The SARIF 2.1.0 {@code level}: {@code error}, {@code warning} or {@code note}. */
  public String sarifLevel() {
    return switch (this) {
      case REFUSE -> "error";
      case WARN -> "warning";
      case NOTICE -> "note";
    };
  }
}
