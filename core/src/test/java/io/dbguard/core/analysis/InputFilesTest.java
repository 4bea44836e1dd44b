package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The analysis reads only regular files, and none larger than the limit. */
class InputFilesTest {

  @TempDir Path dir;

  @Test
  void aFileOverTheLimitIsRefusedWithTheLimitNamed() throws Exception {
    Path f = dir.resolve("V1__data.sql");
    Files.writeString(f, "INSERT INTO t VALUES (1);\n".repeat(100)); // 2600 bytes
    AnalysisOptions small = AnalysisOptions.defaults().withMaxFileBytes(1024);
    assertThatThrownBy(() -> new Analyzer().analyze(List.of(f), small))
        .isInstanceOf(InputFileException.class)
        .hasMessageContaining("is 2600 bytes, larger than the limit of 1024 bytes")
        .hasMessageContaining("--max-file-size");
    AnalysisOptions enough = AnalysisOptions.defaults().withMaxFileBytes(2600);
    assertThat(new Analyzer().analyze(List.of(f), enough).files()).hasSize(1);
  }

  @Test
  void theDefaultLimitApplies() {
    assertThat(AnalysisOptions.defaults().maxFileBytes())
        .isEqualTo(AnalysisOptions.DEFAULT_MAX_FILE_BYTES);
    assertThat(AnalysisOptions.defaults().withMaxFileBytes(0).maxFileBytes())
        .isEqualTo(AnalysisOptions.DEFAULT_MAX_FILE_BYTES);
  }

  @Test
  void aDeviceIsRefusedInsteadOfReadUntilMemoryRunsOut() {
    // before: /dev/zero was read until OutOfMemoryError
    assertThatThrownBy(
            () -> new Analyzer().analyze(List.of(Path.of("/dev/zero")), AnalysisOptions.defaults()))
        .isInstanceOf(InputFileException.class)
        .hasMessageContaining("/dev/zero is not a regular file");
  }

  @Test
  @Timeout(120) // guards the old behaviour (blocked forever opening the FIFO); not a measurement
  void aFifoIsRefusedInsteadOfBlocking() throws Exception {
    Path fifo = dir.resolve("V1__pipe.sql");
    Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
    assertThat(p.waitFor()).isZero();
    assertThatThrownBy(() -> new Analyzer().analyze(List.of(fifo), AnalysisOptions.defaults()))
        .isInstanceOf(InputFileException.class)
        .hasMessageContaining("is not a regular file (a FIFO, device or socket)");
  }
}
