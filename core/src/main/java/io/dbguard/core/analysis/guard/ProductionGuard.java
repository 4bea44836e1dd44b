package io.dbguard.core.analysis.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The production guard of the <em>validate</em> step (docs/design.md §3): refuses a migrate or seed
 * command that is on the dangerous-command list ({@link DangerousCommands}) unless the environment
 * is explicitly non-production or the exact command is acknowledged.
 *
 * <p><b>Environments.</b> {@code null}/blank means production (the default). Only {@code
 * development, dev, test, testing, ci, local} (case-insensitive) are non-production. {@code
 * staging}/{@code stage} and every unknown name are <em>protected</em>: staging databases are
 * commonly shared and hold copies of production data, and a wrong refusal costs one acknowledgement
 * while a wrong permission costs the data.
 *
 * <p><b>Parsing.</b> Commands are tokenised like {@code sh} ({@link ShellTokenizer}): quotes,
 * {@code && || ; |}, newlines, comments; environment prefixes ({@code FOO=1 cmd}), wrappers ({@code
 * env, sudo, exec, time, nohup, bundle exec, npx, python, docker compose run …}) and nested shells
 * ({@code sh -c "…"}, {@code eval}, quoted command strings) are looked through.
 *
 * <p><b>Scripts.</b> {@link #check(String, String, Collection, Path)} also reads the scripts a
 * command invokes when they are readable under the working directory: shell scripts ({@code
 * ./bin/deploy.sh}, {@code sh scripts/x.sh}) and {@code npm/yarn/pnpm run <script>} via {@code
 * package.json}, recursively (depth ≤ 6, each script once).
 *
 * <p>Thread-safe and stateless.
 */
public final class ProductionGuard {

  /** Environment names treated as non-production (lower case). */
  public static final Set<String> NON_PRODUCTION =
      Set.of("development", "dev", "test", "testing", "ci", "local");

  private static final Set<String> SHELLS = Set.of("sh", "bash", "zsh", "dash", "ash", "ksh");
  private static final Set<String> NOT_EXECUTING = Set.of("echo", "printf", "git", "cat", "grep");
  private static final Set<String> SCRIPT_RUNNERS = Set.of("npm", "yarn", "pnpm", "bun");
  private static final int MAX_DEPTH = 6;
  private static final long MAX_SCRIPT_BYTES = 1 << 20;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Whether {@code environment} is protected (production-like); {@code null} → protected. */
  public static boolean isProtected(String environment) {
    if (environment == null || environment.isBlank()) {
      return true;
    }
    return !NON_PRODUCTION.contains(environment.trim().toLowerCase(Locale.ROOT));
  }

  /**
   * Checks one command without reading any script.
   *
   * @param command the command line as given in the spec (shell syntax)
   * @param environment the target environment; {@code null} = production
   * @param acknowledgedCommands commands the spec acknowledges; compared with {@code command} after
   *     collapsing whitespace; may be {@code null}
   * @return the verdict; never {@code null}
   */
  public GuardResult check(
      String command, String environment, Collection<String> acknowledgedCommands) {
    return check(command, environment, acknowledgedCommands, null);
  }

  /**
   * Checks one command, also reading the scripts it invokes under {@code workingDirectory} ({@code
   * null} = do not read scripts).
   *
   * @return the verdict for the first dangerous command found; never {@code null}
   */
  public GuardResult check(
      String command,
      String environment,
      Collection<String> acknowledgedCommands,
      Path workingDirectory) {
    String text = command == null ? "" : command;
    Optional<Match> match = find(text, "command", workingDirectory, 0, new HashSet<>());
    if (match.isEmpty()) {
      match =
          CommandSubstitutions.find(text, false)
              .map(f -> new Match(DangerousCommands.SUBSTITUTION, f, "command"));
    }
    if (match.isEmpty()) {
      return GuardResult.safe(command);
    }
    Match m = match.get();
    if (!isProtected(environment)) {
      return verdict(
          true,
          m,
          "allowed because environment '" + environment.trim() + "' is non-production",
          false);
    }
    if (acknowledged(command, acknowledgedCommands)) {
      return verdict(true, m, "allowed because the exact command is acknowledged", true);
    }
    String env =
        environment == null || environment.isBlank() ? "production (default)" : environment;
    return verdict(
        false,
        m,
        "refused in environment " + env + " (acknowledge the exact command to run it anyway)",
        false);
  }

  /**
   * The result for a match; the reason reads {@code ID name: 'fragment' (in source) why; outcome}.
   */
  private static GuardResult verdict(
      boolean allowed, Match m, String outcome, boolean acknowledged) {
    String where = m.source.equals("command") ? "" : " (in " + m.source + ")";
    return new GuardResult(
        allowed,
        m.rule.id(),
        m.rule.name(),
        m.fragment,
        m.source,
        m.rule.id()
            + " "
            + m.rule.name()
            + ": '"
            + m.fragment
            + "'"
            + where
            + " "
            + m.rule.reason()
            + "; "
            + outcome,
        acknowledged);
  }

  /**
   * Checks a command given as an argument vector, the way a Kubernetes container {@code command} is
   * written ({@code ["bundle", "exec", "rake", "db:migrate"]}, {@code ["sh", "-c", "…"]}). The
   * vector is quoted into one shell command (so it is read exactly as given) and checked with
   * {@link #check(String, String, Collection, Path)}; an acknowledgement may name either that
   * quoted form or the arguments joined by single spaces.
   *
   * @param argv the program and its arguments; {@code null} or empty = nothing to check
   * @param workingDirectory where scripts are read from, or {@code null}
   */
  public GuardResult checkArgv(
      List<String> argv,
      String environment,
      Collection<String> acknowledgedCommands,
      Path workingDirectory) {
    if (argv == null || argv.isEmpty()) {
      return GuardResult.safe("");
    }
    StringBuilder sb = new StringBuilder();
    for (String a : argv) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(a.matches("[A-Za-z0-9_@%+=:,./-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    List<String> acks = new ArrayList<>();
    if (acknowledgedCommands != null) {
      String joined = normalise(String.join(" ", argv));
      for (String a : acknowledgedCommands) {
        acks.add(a != null && normalise(a).equals(joined) ? sb.toString() : a);
      }
    }
    return check(sb.toString(), environment, acks, workingDirectory);
  }

  private static boolean acknowledged(String command, Collection<String> acks) {
    if (acks == null || command == null) {
      return false;
    }
    String norm = normalise(command);
    return acks.stream().anyMatch(a -> a != null && normalise(a).equals(norm));
  }

  private static String normalise(String s) {
    return s.trim().replaceAll("\\s+", " ");
  }

  private record Match(DangerousCommand rule, String fragment, String source) {}

  private Optional<Match> find(
      String text, String source, Path workDir, int depth, Set<String> visited) {
    if (depth > MAX_DEPTH) {
      return Optional.empty();
    }
    List<String> previous = null;
    for (ShellTokenizer.SimpleCommand simple : ShellTokenizer.commands(text)) {
      List<String> producer = simple.stdinFromPipe() ? previous : null;
      Optional<Match> m =
          findInSimple(
              simple.words(), producer, simple.hereDocument(), source, workDir, depth, visited);
      if (m.isPresent()) {
        return m;
      }
      previous = simple.words();
    }
    if (!source.equals("command")) {
      // in a script: a substitution whose output is run as a command
      return CommandSubstitutions.find(text, true)
          .map(f -> new Match(DangerousCommands.SUBSTITUTION, f, source));
    }
    return Optional.empty();
  }

  private Optional<Match> findInSimple(
      List<String> words,
      List<String> producer,
      String hereDocument,
      String source,
      Path workDir,
      int depth,
      Set<String> visited) {
    List<String> w = stripPrefixes(words);
    if (w.isEmpty()) {
      return Optional.empty();
    }

    String first = program(w.get(0));
    if (NOT_EXECUTING.contains(first)) {
      return Optional.empty();
    }
    String fragment = String.join(" ", words);
    // 1. scripts the command invokes, when readable
    if (workDir != null) {
      Optional<Match> viaScript = followScripts(w, workDir, depth, visited);
      if (viaScript.isPresent()) {
        return viaScript;
      }
    }
    // 2. the table, at every position that names a program (wrappers: bundle exec, npx, docker …)
    for (int i = 0; i < w.size(); i++) {
      String prog = program(w.get(i));
      if (i > 0 && !DangerousCommands.isKnownTool(prog)) {
        continue;
      }
      List<String> args = w.subList(i + 1, w.size());
      for (DangerousCommand rule : DangerousCommands.ALL) {
        if ((i == 0 || !rule.tools().isEmpty()) && rule.matches(prog, args)) {
          return Optional.of(new Match(rule, fragment, source));
        }
      }
    }
    // 3. what the command does, found by analysis: SQL handed to a client, backwards migrations
    Optional<Match> analysed = analysed(words, w, producer, hereDocument, source, workDir);
    if (analysed.isPresent()) {
      return analysed;
    }
    // 4. nested command strings: sh -c "…", eval "…", system("…") in scripts
    for (int i = 0; i < w.size(); i++) {
      String token = w.get(i);
      boolean shellArg =
          i > 0 && w.get(i - 1).matches("-[a-z]*c[a-z]*") && SHELLS.contains(program(w.get(0)));
      if (shellArg || (i > 0 && token.matches("(?s).*\\s.*"))) {
        Optional<Match> nested = find(token, source, workDir, depth + 1, visited);
        if (nested.isPresent()) {
          return nested;
        }
      } else if (i == 1 && first.equals("eval")) {
        return find(String.join(" ", w.subList(1, w.size())), source, workDir, depth + 1, visited);
      }
    }
    return Optional.empty();
  }

  /** The entries found by analysing the command: SQL handed to a client, backwards migrations. */
  private static Optional<Match> analysed(
      List<String> words,
      List<String> w,
      List<String> producer,
      String hereDocument,
      String source,
      Path workDir) {
    String fragment = String.join(" ", words);
    Optional<DangerousCommand> sql = SqlClientCommands.check(w, producer, hereDocument, workDir);
    if (sql.isPresent()) {
      String f = producer == null ? fragment : String.join(" ", producer) + " | " + fragment;
      return Optional.of(new Match(sql.get(), f, source));
    }
    return BackwardsMigrations.check(w, workDir).map(d -> new Match(d, fragment, source));
  }

  /** Drops {@code FOO=bar} prefixes and wrappers that only change how the command runs. */
  static List<String> stripPrefixes(List<String> words) {
    int i = 0;
    while (i < words.size()) {
      String t = words.get(i);
      String p = program(t);
      if (t.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
        i++;
      } else if (p.equals("env")
          || p.equals("sudo")
          || p.equals("exec")
          || p.equals("time")
          || p.equals("nohup")
          || p.equals("command")
          || p.equals("nice")) {
        i++;
        while (i < words.size() && words.get(i).startsWith("-")) {
          i++;
        }
      } else {
        break;
      }
    }
    return words.subList(i, words.size());
  }

  /** Lower-case basename; {@code python -m django} style aliases map to the tool name. */
  static String program(String token) {
    String t = token;
    int slash = t.lastIndexOf('/');
    if (slash >= 0 && slash < t.length() - 1) {
      t = t.substring(slash + 1);
    }
    t = t.toLowerCase(Locale.ROOT);
    if (t.equals("django")) {
      return "django-admin";
    }
    return t;
  }

  private Optional<Match> followScripts(
      List<String> w, Path workDir, int depth, Set<String> visited) {
    String prog = program(w.get(0));
    // npm run x / yarn x / yarn run x / pnpm x / pnpm run x / bun run x
    if (SCRIPT_RUNNERS.contains(prog) && w.size() >= 2) {
      int idx = 1;
      if (w.get(1).equals("run") || w.get(1).equals("run-script")) {
        idx = 2;
      } else if (prog.equals("npm")) {
        idx = -1; // npm needs "run" (npm test/start handled by package.json too rarely to matter)
      }
      if (idx > 0 && idx < w.size()) {
        String name = w.get(idx);
        Optional<String> script = packageScript(workDir, name);
        String key = "package.json#scripts." + name;
        if (script.isPresent() && visited.add(key)) {
          return find(script.get(), key, workDir, depth + 1, visited);
        }
      }
      return Optional.empty();
    }
    // ./bin/deploy.sh, bin/setup, sh scripts/x.sh, bash -e x.sh
    String candidate = null;
    if (SHELLS.contains(prog)) {
      for (int i = 1; i < w.size(); i++) {
        if (w.get(i).matches("-[a-z]*c[a-z]*")) {
          return Optional.empty(); // sh -c: handled as a nested string
        }
        if (!w.get(i).startsWith("-")) {
          candidate = w.get(i);
          break;
        }
      }
    } else if ((prog.equals("source") || prog.equals(".")) && w.size() >= 2) {
      candidate = w.get(1);
    } else if (w.get(0).contains("/")) {
      candidate = w.get(0);
    }
    if (candidate == null) {
      return Optional.empty();
    }
    Path file = workDir.resolve(candidate).normalize();
    String key = file.toString();
    if (!Files.isRegularFile(file) || !Files.isReadable(file) || !visited.add(key)) {
      return Optional.empty();
    }
    try {
      if (Files.size(file) > MAX_SCRIPT_BYTES) {
        return Optional.empty();
      }
      byte[] bytes = Files.readAllBytes(file);
      for (byte b : bytes) {
        if (b == 0) {
          return Optional.empty(); // binary
        }
      }
      return find(
          new String(bytes, StandardCharsets.UTF_8),
          workDir.relativize(file).toString(),
          workDir,
          depth + 1,
          visited);
    } catch (IOException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> packageScript(Path workDir, String name) {
    Path pkg = workDir.resolve("package.json");
    if (!Files.isReadable(pkg)) {
      return Optional.empty();
    }
    try {
      JsonNode scripts = JSON.readTree(pkg.toFile()).path("scripts");
      JsonNode s = scripts.path(name);
      return s.isTextual() ? Optional.of(s.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** All rule ids, for documentation. */
  public static List<String> ruleIds() {
    List<String> ids = new ArrayList<>();
    DangerousCommands.ALL.forEach(d -> ids.add(d.id()));
    return ids;
  }
}
