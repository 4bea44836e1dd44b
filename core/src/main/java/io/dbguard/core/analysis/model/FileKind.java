package io.dbguard.core.analysis.model;

/** What an analysed file is, decided from its path and content ({@code FileClassifier}). */
public enum FileKind {
  SQL_MIGRATION,
  RAILS_MIGRATION,
  DJANGO_MIGRATION,
  SEED_RUBY,
  SEED_SQL,
  SEED_PYTHON,
  SEED_FIXTURE,
  /**
   * A rollback file (down or undo migration, see {@code FileClassifier#isDown}) or a file that is
   * not a migration; not applied going forward, listed, not analysed.
   */
  SKIPPED;

  /** Whether this is a seed file (seed rules DBG3nn apply instead of DML refusals). */
  public boolean isSeed() {
    return this == SEED_RUBY || this == SEED_SQL || this == SEED_PYTHON || this == SEED_FIXTURE;
  }
}
