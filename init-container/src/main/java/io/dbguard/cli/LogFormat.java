package io.dbguard.cli;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Locale;
import org.slf4j.LoggerFactory;

/**
 * The format of dbguard's log lines on stderr ({@code --log-format}, environment {@code
 * DBGUARD_LOG_FORMAT}): {@code text} (the default, {@code LEVEL logger: message}) or {@code json}
 * (logback's own {@link JsonEncoder}, one JSON object per line with {@code timestamp} in epoch
 * milliseconds, {@code level}, {@code threadName}, {@code loggerName}, {@code mdc}, {@code
 * formattedMessage} and {@code throwable}, as the operator's {@code operator.logFormat json}). Log
 * lines are what libraries and the engines report (warnings by default); the command's own output
 * (stdout, {@code --output}) is not a log and keeps its format.
 */
enum LogFormat {
  text,
  json;

  /** Name of the appender this class installs on the root logger. */
  static final String APPENDER = "STDERR";

  /** Environment variable giving the format when {@code --log-format} is not used. */
  static final String ENV = "DBGUARD_LOG_FORMAT";

  /** Option help, shared by every command line that offers {@code --log-format}. */
  static final String DESCRIPTION =
      "Format of log lines on stderr: text or json (logback's JSON encoder, one object per line);"
          + " default $"
          + ENV
          + ", else text.";

  /**
   * The format named by {@code value} (any letter case).
   *
   * @throws IllegalArgumentException for another value
   */
  static LogFormat of(String value) {
    try {
      return valueOf(value.trim().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "--log-format must be text or json, not '" + value + "'", e);
    }
  }

  /** Applies {@code $DBGUARD_LOG_FORMAT} when it is set; an unknown value leaves text. */
  static void fromEnvironment() {
    String v = System.getenv(ENV);
    if (v != null && !v.isBlank()) {
      try {
        of(v).apply();
      } catch (IllegalArgumentException e) {
        System.err.println("dbguard: " + ENV + ": " + e.getMessage() + "; logging as text");
      }
    }
  }

  /**
   * Replaces the root logger's appenders with one console appender on {@code System.err} in this
   * format. Idempotent.
   */
  void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
      return;
    }
    Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    if (root.getAppender(APPENDER) instanceof ConsoleAppender<ILoggingEvent> current
        && current.getEncoder() != null
        && (this == json) == (current.getEncoder() instanceof JsonEncoder)) {
      return;
    }
    Encoder<ILoggingEvent> encoder;
    if (this == json) {
      JsonEncoder e = new JsonEncoder();
      e.setWithSequenceNumber(false);
      e.setWithNanoseconds(false);
      e.setWithContext(false);
      e.setWithMessage(false);
      e.setWithArguments(false);
      e.setWithFormattedMessage(true);
      encoder = e;
    } else {
      PatternLayoutEncoder e = new PatternLayoutEncoder();
      e.setPattern("%level %logger{20}: %msg%n");
      encoder = e;
    }
    encoder.setContext(ctx);
    encoder.start();
    ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
    appender.setContext(ctx);
    appender.setName(APPENDER);
    appender.setTarget("System.err");
    appender.setEncoder(encoder);
    appender.start();
    root.detachAndStopAllAppenders();
    root.addAppender(appender);
  }
}
