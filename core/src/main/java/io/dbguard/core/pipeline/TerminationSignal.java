package io.dbguard.core.pipeline;

import java.util.concurrent.atomic.AtomicReference;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Which signal ended the process, so reports name the real one ({@code SIGINT} from Ctrl-C, {@code
 * SIGHUP} from a closed terminal, {@code SIGTERM} from Kubernetes or {@code kill}) instead of
 * assuming SIGTERM. {@link #install()} puts a recording handler in front of the JVM's own handler
 * for TERM, INT and HUP ({@code sun.misc.Signal}, module {@code jdk.unsupported}); the JVM's
 * handler still runs afterwards, so shutdown hooks run and the exit status is unchanged.
 */
public final class TerminationSignal {
  private static final AtomicReference<String> RECEIVED = new AtomicReference<>();
  private static volatile boolean installed;

  private TerminationSignal() {}

  /** Installs the recording handlers once; harmless when a signal cannot be handled here. */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    for (String name : new String[] {"TERM", "INT", "HUP"}) {
      try {
        Signal sig = new Signal(name);
        SignalHandler[] previous = new SignalHandler[1];
        previous[0] =
            Signal.handle(
                sig,
                s -> {
                  RECEIVED.compareAndSet(null, "SIG" + s.getName());
                  SignalHandler p = previous[0];
                  if (p != null && p != SignalHandler.SIG_IGN && p != SignalHandler.SIG_DFL) {
                    p.handle(s);
                  } else if (p == SignalHandler.SIG_DFL) {
                    System.exit(128 + s.getNumber());
                  }
                });
      } catch (IllegalArgumentException unsupported) {
        // e.g. SIGHUP ignored because the process runs under nohup: leave it alone
      }
    }
  }

  /** The signal received, e.g. {@code SIGINT}, or "a termination signal" when not known. */
  public static String name() {
    String s = RECEIVED.get();
    return s == null ? "a termination signal" : s;
  }

  /** The line printed when the signal arrives during {@code step} of a run. */
  static String receivedDuring(PipelineStep step, boolean databaseChanged) {
    String during = " received during " + step.label() + ": ";
    if (!databaseChanged) {
      return name()
          + during
          + "finishing the current step, then stopping; the migration will not run and the"
          + " database is not changed";
    }
    return name() + during + "stopping the migration, then restoring before exit";
  }

  /** The message of a run stopped before the migration started. */
  static String stoppedBeforeChange(PipelineStep step) {
    return name()
        + " arrived during "
        + step.label()
        + ", before the migration started; the run stopped there and the database was not"
        + " changed";
  }
}
