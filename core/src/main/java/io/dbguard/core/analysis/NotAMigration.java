package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.FileKind;
import io.dbguard.core.analysis.model.ParsedFile;
import java.nio.file.Path;
import java.util.List;

/**
 * Ruby and Python files found by walking a directory that are neither migrations nor seeds (models,
 * settings, tests): they are reported as skipped with runner {@value #RUNNER} instead of being
 * analysed as seeds or left out without a word.
 */
final class NotAMigration {

  /** The runner recorded for such a file. */
  static final String RUNNER = "not-a-migration";

  private NotAMigration() {}

  /** {@code pf} unchanged, or a skipped entry when it is code that is no migration or seed. */
  static ParsedFile skipIfCode(Path p, ParsedFile pf) {
    boolean code = pf.kind() == FileKind.SEED_RUBY || pf.kind() == FileKind.SEED_PYTHON;
    if (!code) {
      return pf;
    }
    // a migration class would have made it a migration; only the path can still make it one
    if (FileClassifier.analysedWhenWalked(p, "")) {
      return pf;
    }
    return new ParsedFile(
        pf.path(),
        FileKind.SKIPPED,
        pf.dialect(),
        RUNNER,
        false,
        List.of(),
        List.of(),
        pf.sha256());
  }
}
