package io.dbguard.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rollout gate's arguments in the plain form its init container is given (each option of {@code
 * dbguard gate} at most once, as {@code --opt VALUE} or {@code --opt=VALUE}, every value valid),
 * read without picocli. The gate runs at every pod start, and building picocli's model of even the
 * one command costs about 0.1 s of CPU (its classes predate the class-file version that AppCDS
 * archives), 40 ms of a gate's 0.3 s on 2 cores (docs/benchmarks.md, "Rollout gate").
 *
 * <p>Anything else — {@code --help}, {@code --version}, an unknown, repeated or missing option, a
 * value picocli would refuse — is not plain: {@link #plain} returns null and the gate goes through
 * picocli ({@link Main#gateCommandLine}), which prints the help or the usage error (exit 4) as
 * before. The option names and meanings are {@link GateCommand}'s; {@code GateArgsTest} checks that
 * for plain arguments both readings give the same values.
 *
 * @param migration {@code --migration}
 * @param image {@code --image}
 * @param namespace {@code --namespace}, or null
 * @param timeoutSeconds {@code --timeout} in seconds (0: wait forever)
 * @param terminationLog {@code --termination-log}, or null
 * @param logFormat {@code --log-format} ({@code text} or {@code json}), or null
 */
record GateArgs(
    String migration,
    String image,
    String namespace,
    long timeoutSeconds,
    Path terminationLog,
    String logFormat) {
  /**
   * The options read here: all of {@link GateCommand}'s plus the inherited {@code --log-format}.
   */
  static final List<String> OPTIONS =
      List.of(
          "--migration",
          "--image",
          "--namespace",
          "--timeout",
          "--termination-log",
          "--log-format");

  /**
   * Reads plain gate arguments (those after {@code gate}).
   *
   * @return the values, or null when the arguments are not plain (see above)
   */
  static GateArgs plain(String[] args) {
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      int eq = a.indexOf('=');
      String option = eq > 0 ? a.substring(0, eq) : a;
      if (!OPTIONS.contains(option) || values.containsKey(option)) {
        return null;
      }
      if (eq > 0) {
        values.put(option, a.substring(eq + 1));
      } else if (i + 1 < args.length) {
        values.put(option, args[++i]);
      } else {
        return null;
      }
    }
    String migration = values.get("--migration");
    String image = values.get("--image");
    if (migration == null || migration.isEmpty() || image == null) {
      return null;
    }
    long timeout = 0;
    Path log = null;
    String format = values.get("--log-format");
    try {
      if (values.containsKey("--timeout")) {
        timeout = Long.parseLong(values.get("--timeout"));
      }
      if (values.containsKey("--termination-log")) {
        log = Path.of(values.get("--termination-log"));
      }
      if (format != null) {
        LogFormat.of(format);
      }
    } catch (IllegalArgumentException e) { // also InvalidPathException
      return null;
    }
    return new GateArgs(migration, image, values.get("--namespace"), timeout, log, format);
  }

  /** Sets these values on a gate, as picocli would, and applies the log format. */
  GateCommand applyTo(GateCommand gate) {
    gate.migration = migration;
    gate.image = image;
    gate.namespace = namespace;
    gate.timeoutSeconds = timeoutSeconds;
    gate.terminationLog = terminationLog;
    if (logFormat != null) {
      LogFormat.of(logFormat).apply();
    }
    return gate;
  }
}
