package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code --restore-jobs N} of {@code restore} and {@code run}: 0 or more, else a usage error. */
class RestoreJobsCliTest {
  @Test
  void aNegativeOrNonNumericJobCountIsAUsageErrorBeforeAnythingConnects() {
    for (String bad : new String[] {"-1", "two"}) {
      CliRun r =
          CliRun.of(
              "restore",
              "--database-url",
              "postgresql://nobody@127.0.0.1:1/none",
              "--backup-dir",
              "/nonexistent",
              "--restore-jobs",
              bad);
      assertThat(r.exitCode()).as(r.all()).isEqualTo(4);
      assertThat(r.all()).contains("--restore-jobs");
    }
    CliRun run = CliRun.of("run", "--restore-jobs", "-3", "--database-url", "sqlite:/tmp/x.db");
    assertThat(run.exitCode()).as(run.all()).isEqualTo(4);
  }

  @Test
  void theOptionIsOfferedByRestoreAndRun() {
    assertThat(CliRun.of("restore", "--help").out()).contains("--restore-jobs");
    assertThat(CliRun.of("run", "--help").out()).contains("--restore-jobs");
  }
}
