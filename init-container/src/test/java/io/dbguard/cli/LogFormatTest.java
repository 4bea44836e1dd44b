package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code --log-format json} turns the log lines on stderr into logback's JSON (one object per line)
 * for every command, given before or after the command name and on the gate's own command line;
 * {@code text} turns them back; another value is a usage error (exit 4).
 */
class LogFormatTest {
  @TempDir Path dir;

  private final PrintStream originalErr = System.err;
  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private Path sql;

  @BeforeEach
  void captureStderr() throws Exception {
    sql = Files.writeString(dir.resolve("V1__add.sql"), "ALTER TABLE t ADD COLUMN c text;\n");
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setErr(originalErr);
    LogFormat.text.apply();
  }

  private static int run(CommandLine cl, String... args) {
    cl.setOut(new PrintWriter(new StringWriter()));
    cl.setErr(new PrintWriter(new StringWriter()));
    return cl.execute(args);
  }

  /** Logs one warning the way the engines do and returns what reached stderr. */
  private List<String> logWarning() {
    stderr.reset();
    LoggerFactory.getLogger("io.dbguard.core.engine.Example").warn("disk {} low", "/backups");
    return stderr.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void jsonAfterTheCommandThenTextBeforeIt() throws Exception {
    assertThat(run(Main.commandLine(), "lint", "--log-format", "json", sql.toString())).isZero();
    List<String> lines = logWarning();
    assertThat(lines).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(lines.get(0));
    assertThat(line.get("level").asText()).isEqualTo("WARN");
    assertThat(line.get("loggerName").asText()).isEqualTo("io.dbguard.core.engine.Example");
    assertThat(line.get("formattedMessage").asText()).isEqualTo("disk /backups low");
    assertThat(line.get("timestamp").asLong()).isPositive();

    assertThat(run(Main.commandLine(), "--log-format", "text", "lint", sql.toString())).isZero();
    assertThat(logWarning())
        .singleElement()
        .asString()
        .startsWith("WARN ")
        .endsWith(": disk /backups low");
  }

  @Test
  void theGateCommandLineTakesItToo() throws Exception {
    assertThat(run(Main.gateCommandLine(), "--log-format", "json", "--help")).isZero();
    assertThat(new ObjectMapper().readTree(logWarning().get(0)).get("level").asText())
        .isEqualTo("WARN");
  }

  @Test
  void anotherValueIsAUsageError() {
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    assertThat(cl.execute("lint", "--log-format", "xml", sql.toString())).isEqualTo(4);
    assertThat(err.toString()).contains("--log-format must be text or json, not 'xml'");
    assertThat(logWarning()).singleElement().asString().startsWith("WARN ");
  }
}
