package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.testcluster.TestCluster;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The operator's own {@code logback.xml} (not the tests' logback-test.xml) with {@code
 * DBGUARD_LOG_FORMAT} text and json, and the version it logs at start-up.
 */
class LogFormatTest {

  @AfterEach
  void restoreTestLogging() throws Exception {
    System.clearProperty("DBGUARD_LOG_FORMAT");
    configure(getClass().getClassLoader().getResource("logback-test.xml"));
  }

  private static void configure(URL config) throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(config);
  }

  /** Logs one line through the operator's logback.xml with the given format; returns stdout. */
  private static String logOnce(String format) throws Exception {
    PrintStream old = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      if (format != null) {
        System.setProperty("DBGUARD_LOG_FORMAT", format);
      }
      URL operatorConfig = Main.class.getClassLoader().getResource("logback.xml");
      assertThat(operatorConfig.toString()).contains("classes/logback.xml");
      configure(operatorConfig);
      MDC.put("resource", "apps/shop");
      try {
        LoggerFactory.getLogger(DatabaseMigrationReconciler.class)
            .info("step {} started", "backup");
      } finally {
        MDC.remove("resource");
      }
    } finally {
      System.setOut(old);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
    String out = logOnce("json").strip();
    assertThat(out.lines()).hasSize(1);
    JsonNode line = new ObjectMapper().readTree(out);
    assertThat(line.get("level").asText()).isEqualTo("INFO");
    assertThat(line.get("loggerName").asText())
        .isEqualTo(DatabaseMigrationReconciler.class.getName());
    assertThat(line.get("formattedMessage").asText()).isEqualTo("step backup started");
    assertThat(line.get("mdc").get("resource").asText()).isEqualTo("apps/shop");
    assertThat(line.get("timestamp").asLong()).isPositive();
  }

  @Test
  void textIsTheDefault() throws Exception {
    String out = logOnce(null).strip();
    assertThat(out).matches(".*Z INFO  .*\\[apps/shop\\] step backup started");
  }

  @Test
  void operatorVersionIsTheBuildsVersion() throws Exception {
    String pom = Files.readString(TestCluster.repoRoot().resolve("pom.xml"));
    Matcher m =
        Pattern.compile("<artifactId>dbguard-parent</artifactId>\\s*<version>([^<]+)</version>")
            .matcher(pom);
    assertThat(m.find()).isTrue();
    assertThat(Main.versionLine()).isEqualTo("dbguard-operator " + m.group(1));
  }
}
