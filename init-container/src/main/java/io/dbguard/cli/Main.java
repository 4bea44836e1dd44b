package io.dbguard.cli;

import io.dbguard.core.report.ExitCode;
import picocli.CommandLine;

/** Entry point of {@code dbguard.jar}. Exit codes: {@link ExitCode} (docs/cli.md). */
public final class Main {
  private Main() {}

  /** Builds the command line with dbguard's exit codes for usage errors (4) and bugs (3). */
  public static CommandLine commandLine() {
    return withHandlers(new CommandLine(new DbguardCommand()));
  }

  /**
   * {@code dbguard gate …} alone: the rollout gate runs at every pod start, and building the other
   * subcommands' models (reflection over every option of every command) costs it a few hundred
   * milliseconds. Same options, exit codes and output as through {@link #commandLine()}.
   */
  static CommandLine gateCommandLine() {
    return gateCommandLine(null);
  }

  /**
   * {@code dbguard gate ARGS} as a pod runs it: the connection to the API server, and the first GET
   * of the migration the arguments name, are made on a second thread ({@link GatePrefetch}) while
   * the command line is read; plain arguments ({@link GateArgs}) are read without picocli, anything
   * else (help, usage errors) through {@link #gateCommandLine(GatePrefetch)}.
   *
   * @param args the arguments after {@code gate}
   * @return the gate's exit code ({@link ExitCode})
   */
  static int gate(String... args) {
    GateArgs plain = GateArgs.plain(args); // read once: the connection thread uses it too
    GatePrefetch prefetch = GatePrefetch.start(plain);
    LogFormat.fromEnvironment();
    if (plain == null) {
      return gateCommandLine(prefetch).execute(args); // help, usage errors …: picocli's
    }
    try {
      return plain.applyTo(new GateCommand(prefetch)).call();
    } catch (Exception e) {
      return unexpected(e, new java.io.PrintWriter(System.err, true));
    }
  }

  /**
   * {@link #gateCommandLine()} whose gate takes its client from {@code prefetch} (null: connects
   * itself after parsing).
   */
  static CommandLine gateCommandLine(GatePrefetch prefetch) {
    CommandLine cl = new CommandLine(new GateCommand(prefetch));
    cl.setCommandName("dbguard gate");
    // the option every command inherits from `dbguard` (DbguardCommand), which is not built here
    cl.getCommandSpec()
        .addOption(
            CommandLine.Model.OptionSpec.builder("--log-format")
                .paramLabel("text|json")
                .description(LogFormat.DESCRIPTION)
                .type(String.class)
                .setter(
                    new CommandLine.Model.ISetter() {
                      @Override
                      public <T> T set(T value) {
                        if (value != null) {
                          try {
                            LogFormat.of((String) value).apply();
                          } catch (IllegalArgumentException e) {
                            throw new CommandLine.ParameterException(cl, e.getMessage());
                          }
                        }
                        return null;
                      }
                    })
                .build());
    return withHandlers(cl);
  }

  private static CommandLine withHandlers(CommandLine cl) {
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("dbguard: " + ex.getMessage());
          if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
            c.getErr().println("See '" + c.getCommandSpec().qualifiedName() + " --help'.");
          }
          return ExitCode.USAGE.code();
        });
    // `dbguard frobnicate --help`: an unknown command is a usage error even when --help follows it
    cl.setExecutionStrategy(
        parsed -> {
          java.util.List<String> args = parsed.originalArgs();
          if (!parsed.hasSubcommand() && !args.isEmpty() && !args.get(0).startsWith("-")) {
            throw new CommandLine.UnmatchedArgumentException(
                parsed.commandSpec().commandLine(), args.subList(0, 1));
          }
          return new CommandLine.RunLast().execute(parsed);
        });
    cl.setExecutionExceptionHandler((ex, c, parsed) -> unexpected(ex, c.getErr()));
    return cl;
  }

  /** Reports a command's unexpected exception (credentials redacted) and returns exit code 3. */
  private static int unexpected(Exception ex, java.io.PrintWriter err) {
    err.println(
        "dbguard: unexpected error: "
            + io.dbguard.core.engine.DatabaseTarget.redact(String.valueOf(ex)));
    err.flush();
    return ExitCode.TOOL_ERROR.code();
  }

  /** Runs and exits with the command's exit code. */
  public static void main(String[] args) {
    if (args.length > 0 && "gate".equals(args[0])) {
      System.exit(gate(java.util.Arrays.copyOfRange(args, 1, args.length)));
    }
    LogFormat.fromEnvironment();
    io.dbguard.core.pipeline.TerminationSignal.install();
    System.exit(commandLine().execute(args));
  }
}
