package io.dbguard.cli;

import io.dbguard.core.pipeline.PipelineEvent;
import io.dbguard.core.report.StepResult;
import java.io.PrintStream;
import java.util.Locale;

/**
 * Everything the CLI prints. Text mode: step lines on stdout, progress on stderr. JSON mode: only
 * the final JSON document on stdout; step lines and progress go to stderr. Colour only when stdout
 * is a terminal, {@code NO_COLOR} is unset or empty (https://no-color.org) and {@code TERM} is not
 * {@code dumb}.
 */
final class Console {
  private static final String GREEN = "\u001b[32m";
  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String DIM = "\u001b[2m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final boolean color;
  private final boolean tty;
  private long progressStartNanos;
  private long lastProgressNanos;
  private String progressPhase;
  private boolean progressLineOpen;

  Console(PrintStream out, PrintStream err, boolean json, boolean color, boolean tty) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.color = color;
    this.tty = tty;
  }

  /** A console for the real process streams. */
  static Console system(boolean json) {
    boolean tty = System.console() != null;
    String noColor = System.getenv("NO_COLOR");
    boolean color =
        tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(System.getenv("TERM"));
    return new Console(System.out, System.err, json, color, tty);
  }

  boolean json() {
    return json;
  }

  /** The stream for human lines: stdout in text mode, stderr in JSON mode. */
  PrintStream human() {
    return json ? err : out;
  }

  void line(String s) {
    endProgress();
    human().println(s);
  }

  void heading(String s) {
    line(paint(BOLD, s));
  }

  /** A step line: {@code ✓ backup detail 0.4 s}. */
  void step(String mark, String colour, String label, String detail, long millis) {
    endProgress();
    String dur = millis > 0 ? "  " + paint(DIM, seconds(millis)) : "";
    human()
        .println(
            "  "
                + paint(colour, mark)
                + " "
                + String.format(Locale.ROOT, "%-15s", label)
                + " "
                + detail
                + dur);
  }

  void ok(String label, String detail, long millis) {
    step("✓", GREEN, label, detail, millis);
  }

  void fail(String label, String detail, long millis) {
    step("✗", RED, label, detail, millis);
  }

  void warn(String label, String detail) {
    step("!", YELLOW, label, detail, 0);
  }

  void skip(String label, String detail) {
    step("–", DIM, label, detail, 0);
  }

  void started(String label, String detail) {
    step("…", DIM, label, detail, 0);
  }

  void output(String text) {
    endProgress();
    human().println("      " + paint(DIM, "│ ") + text);
  }

  /** Renders one pipeline event. */
  void event(PipelineEvent e) {
    String label = e.step().label();
    switch (e.kind()) {
      case STARTED -> started(label, e.message());
      case SUCCEEDED -> ok(label, e.message(), e.durationMillis());
      case FAILED -> fail(label, e.message(), e.durationMillis());
      case SKIPPED -> skip(label, e.message());
      case WARNING -> warn(label, e.message());
      case OUTPUT -> output(e.message());
      case PROGRESS -> progress(e.message(), e.bytesDone(), e.bytesTotal());
    }
  }

  /**
   * Progress on stderr, at most once a second, only for copies that last longer than a second: on a
   * terminal one line rewritten in place, otherwise one line per update.
   */
  synchronized void progress(String phase, long done, long total) {
    long now = System.nanoTime();
    if (!phase.equals(progressPhase)) {
      endProgress();
      progressPhase = phase;
      progressStartNanos = now;
      lastProgressNanos = now;
      return;
    }
    boolean finished = total > 0 && done >= total;
    if (now - lastProgressNanos < 1_000_000_000L && !(finished && progressLineOpen)) {
      return;
    }
    if (now - progressStartNanos < 1_000_000_000L) {
      return;
    }
    lastProgressNanos = now;
    double secs = (now - progressStartNanos) / 1e9;
    String rate = bytes((long) (done / Math.max(secs, 0.001))) + "/s";
    String text =
        "    "
            + phase
            + " "
            + bytes(done)
            + (total > 0
                ? " / " + bytes(total) + String.format(Locale.ROOT, " (%d%%)", done * 100 / total)
                : "")
            + ", "
            + rate;
    if (tty) {
      err.print("\r" + text + "\u001b[K");
      progressLineOpen = true;
    } else {
      err.println(text);
    }
  }

  private synchronized void endProgress() {
    if (progressLineOpen) {
      err.println();
      progressLineOpen = false;
    }
    progressPhase = null;
  }

  private boolean resultSuppressed;

  /** The command printed its own JSON document (e.g. {@code backups list}); skip the result. */
  void suppressResult() {
    resultSuppressed = true;
  }

  /** Prints the final result: JSON document on stdout, or nothing more in text mode. */
  void result(StepResult r) {
    endProgress();
    if (json && !resultSuppressed) {
      try {
        out.println(
            io.dbguard.core.backup.ManifestStore.JSON
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(r));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        out.println(r.toTerminationMessage());
      }
    }
  }

  String paint(String colour, String s) {
    return color ? colour + s + RESET : s;
  }

  String green(String s) {
    return paint(GREEN, s);
  }

  String red(String s) {
    return paint(RED, s);
  }

  String bold(String s) {
    return paint(BOLD, s);
  }

  /** Human size with binary units: {@code 512 B}, {@code 12.3 KiB}, {@code 1.0 GiB}. */
  static String bytes(long n) {
    return io.dbguard.core.report.HumanSize.bytes(n);
  }

  /** {@code 0.4 s}, {@code 12 s}, {@code 3 min 05 s}. */
  static String seconds(long millis) {
    if (millis < 10_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long s = millis / 1000;
    return s < 120 ? s + " s" : String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
  }
}
