package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubyCalls.Chain;
import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.SeedEffect;
import io.dbguard.core.analysis.model.Suppression;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The seed statements of a Ruby seed file, for {@link RubyFrontEnd}: each call becomes a {@link
 * Operation.SeedCall} (find_or_create_by, first_or_create, find_or_initialize_by, upsert, seed-fu
 * {@code seed} → idempotent; create!/insert/new+save and FactoryBot's
 * create/create_list/create_pair → non-idempotent unless guarded;
 * delete_all/destroy_all/destroy/delete on a receiver that holds rows, also as the block argument
 * of a loop over rows ({@link RubySeedReceivers}) → destructive; {@code load}, {@code
 * require_relative}, {@code X.load}/{@code X.seed!}/{@code X.call}/{@code X.new.run} → the file of
 * the application that defines class {@code X}, read as a load, else delegated), guard clauses
 * ({@code return if User.exists?}) and loads. A get-or-create looked up by a random value ({@link
 * RubyRandomValues}) is non-idempotent. Calls on a model read the model's source through {@link
 * RubySeedModels}.
 */
final class RubySeeds {

  private static final Set<String> IDEMPOTENT =
      Set.of(
          "find_or_create_by",
          "find_or_create_by!",
          "first_or_create",
          "first_or_create!",
          "find_or_initialize_by",
          "first_or_initialize",
          "create_or_find_by",
          "create_or_find_by!",
          "upsert",
          "upsert_all",
          "insert_all",
          "seed",
          "seed_once",
          "find_or_create",
          "where_or_create");
  private static final Set<String> CREATES =
      Set.of("create", "create!", "insert", "insert!", "insert_all!", "create_list");
  private static final Set<String> DESTROYS = RailsModels.DELETES;
  private static final Set<String> FACTORY_BOT = Set.of("FactoryBot", "FactoryGirl");
  private static final Set<String> DELEGATES =
      Set.of(
          "load",
          "seed!",
          "call",
          "run",
          "import",
          "perform",
          "perform_now",
          "load_seed",
          "invoke",
          "execute!",
          "seed_all",
          "load_all");

  /** Get-or-create calls whose arguments are the lookup. */
  private static final Set<String> LOOKUPS =
      Set.of(
          "find_or_create_by",
          "find_or_create_by!",
          "find_or_initialize_by",
          "create_or_find_by",
          "create_or_find_by!",
          "find_or_create",
          "where_or_create");

  /** Get-or-create calls whose lookup is the {@code where} before them. */
  private static final Set<String> FIRST_OR =
      Set.of("first_or_create", "first_or_create!", "first_or_initialize");

  private final RailsModels models;

  /** The random values of the file, for get-or-create lookups. */
  private final RubyRandomValues random = new RubyRandomValues();

  /** The rake tasks the file defines, by full name ({@code seed:roles}). */
  private final Set<String> tasks = new java.util.HashSet<>();

  /**
   * @param models the application's model sources
   */
  RubySeeds(RailsModels models) {
    this.models = models;
  }

  /**
   * Notes the rake tasks {@code statements} define ({@code task roles: :environment do}, {@code
   * task :roles => :environment}), named with their enclosing {@code namespace :seed do} blocks
   * ({@code seed:roles}): invoking one of them ({@code Rake::Task["seed:roles"].invoke}) runs a
   * body this file's reading already judged, not code it hands away.
   */
  void tasks(List<Statement> statements) {
    tasks.clear();
    for (Statement st : statements) {
      if (!st.head().equals("task")) {
        continue;
      }
      List<Call> calls = RubyCalls.chain(st.tokens()).calls();
      if (calls.isEmpty()) {
        continue;
      }
      Call task = calls.get(0);
      String name =
          task.name(0) != null
              ? task.name(0)
              : task.kwargs().isEmpty() ? null : task.kwargs().keySet().iterator().next();
      if (name == null) {
        continue;
      }
      StringBuilder full = new StringBuilder();
      for (Block b : st.blocks()) {
        if (b.opener != st && b.opener.head().equals("namespace")) {
          List<Call> ns = RubyCalls.chain(b.opener.tokens()).calls();
          if (!ns.isEmpty() && ns.get(0).name(0) != null) {
            full.append(ns.get(0).name(0)).append(':');
          }
        }
      }
      tasks.add(full.append(name).toString());
    }
  }

  /** Whether {@code calls} invoke a rake task this file defines ({@link #tasks(List)}). */
  private boolean invokesOwnTask(List<Call> calls, int i) {
    String name = calls.get(0).name(0);
    return i == 1
        && calls.get(0).name().equals("Rake::Task")
        && name != null
        && tasks.contains(name.startsWith(":") ? name.substring(1) : name);
  }

  /**
   * Appends the seed operations of statement {@code st} to {@code ops}.
   *
   * @param guarded whether an enclosing {@code if}/{@code unless} tests that rows exist
   * @param vars what the file's variables hold so far (read and updated)
   */
  void statement(
      Statement st,
      boolean guarded,
      List<Operation> ops,
      List<Suppression> sups,
      RubySeedReceivers vars) {
    if (Set.of("include", "extend").contains(st.head())
        && st.tokens().stream().anyMatch(t -> FACTORY_BOT.contains(t.text()))) {
      vars.includeFactoryMethods();
      return;
    }
    random.statement(st.tokens());
    Chain chain = RubyCalls.chain(st.tokens());
    boolean modGuard = !chain.modifier().isEmpty() && RubyFrontEnd.existence(chain.modifier());
    if (!guardOrLoad(st, modGuard, ops) && !chain.calls().isEmpty()) {
      calls(st, chain, guarded || modGuard, ops, sups, vars);
    }
    vars.assigned(chain);
    if (chain.assignedTo() != null && st.tokens().size() > 2) {
      random.assigned(chain.assignedTo(), st.tokens().subList(2, st.tokens().size()));
    }
  }

  /** The variable state of one seed file. */
  RubySeedReceivers receivers() {
    return new RubySeedReceivers(models);
  }

  /** Appends a file-level guard or a load of statement {@code st}; whether it was one. */
  private static boolean guardOrLoad(Statement st, boolean modGuard, List<Operation> ops) {
    int line = st.line();
    String head = st.head();
    // file-level guard: return/exit/abort/next if User.exists?
    if (Set.of("return", "exit", "abort", "next", "exit!").contains(head)
        && modGuard
        && st.blocks().stream().noneMatch(b -> b.opener.head().equals("do") || isLoop(b))) {
      ops.add(new Operation.SeedCall(line, null, SeedEffect.GUARD, text(st)));
      return true;
    }
    if (Set.of("load", "require_relative", "require").contains(head)) {
      if (head.equals("require")
          && st.tokens().size() > 1
          && st.tokens().get(1).kind() == Kind.STRING
          && !st.tokens().get(1).text().startsWith(".")
          && !st.tokens().get(1).text().contains("seed")) {
        return true; // require 'faker' – a library
      }
      String pattern = loadPattern(st);
      if (pattern != null) {
        ops.add(new Operation.LoadFile(line, pattern, head.equals("require_relative"), text(st)));
      } else {
        ops.add(new Operation.SeedCall(line, null, SeedEffect.DELEGATED, text(st)));
      }
      return true;
    }
    return false;
  }

  /**
   * Appends the seed operation of the first call of {@code chain} that has one.
   *
   * @param isGuarded whether an existence test guards the statement
   */
  private void calls(
      Statement st,
      Chain chain,
      boolean isGuarded,
      List<Operation> ops,
      List<Suppression> sups,
      RubySeedReceivers vars) {
    Set<String> newVars = vars.newRecords();
    int line = st.line();
    List<Call> calls = chain.calls();
    String model =
        Character.isUpperCase(calls.get(0).name().charAt(0)) ? calls.get(0).name() : null;
    if (rowLoopOrFactory(st, calls, model, isGuarded, ops, vars)) {
      return;
    }
    for (int i = 0; i < calls.size(); i++) {
      Call c = calls.get(i);
      String n = c.name();
      if (n.equals("execute") || n.equals("exec_query")) {
        RubyFrontEnd.sql(c, line, ops, sups);
        return;
      }
      if (IDEMPOTENT.contains(n)) {
        String key = randomLookup(calls, i);
        ops.add(
            key == null
                ? new Operation.SeedCall(line, model, SeedEffect.IDEMPOTENT, text(st))
                : new Operation.SeedCall(
                    line,
                    model,
                    isGuarded ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT,
                    text(st)
                        + (isGuarded
                            ? " (guarded)"
                            : " (looked up by a random value, "
                                + key
                                + ": a rerun finds no row and creates one)")));
        return;
      }
      if ((DESTROYS.contains(n) && vars.deletesRows(calls, i))
          || RubySeedModels.blockArgDeletes(c)) {
        ops.add(new Operation.SeedCall(line, model, SeedEffect.DESTRUCTIVE, text(st)));
        return;
      }
      if (n.equals("new") && model != null && chain.assignedTo() != null) {
        newVars.add(chain.assignedTo());
        return;
      }
      if ((n.equals("save") || n.equals("save!"))
          && (newVars.contains(calls.get(0).name())
              || i > 0 && calls.get(i - 1).name().equals("new"))) {
        ops.add(
            new Operation.SeedCall(
                line,
                model,
                isGuarded ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT,
                text(st) + (isGuarded ? " (guarded)" : "")));
        return;
      }
      if (CREATES.contains(n) && (model != null || i > 0)) {
        ops.add(RubySeedModels.create(c, line, model, isGuarded, text(st), models));
        return;
      }
      if (n.equals("invoke") && invokesOwnTask(calls, i)) {
        return; // its body is judged where the file defines it
      }
      if (delegates(n, i, model)) {
        ops.add(
            DELEGATES.contains(n) && i > 0 && model != null && !NOT_FOLLOWED.contains(n)
                ? new Operation.LoadFile(
                    line, Operation.LoadFile.CLASS + constant(calls), false, text(st))
                : new Operation.SeedCall(line, model, SeedEffect.DELEGATED, text(st)));
        return;
      }
      if (i > 0) {
        Operation.SeedCall deleting =
            RubySeedModels.modelMethod(n, line, calls.get(0).name(), model, text(st), models);
        if (deleting != null) {
          ops.add(deleting);
          return;
        }
      }
    }
  }

  /**
   * The code of the first random value ({@link RubyRandomValues}) in the lookup of get-or-create
   * call {@code calls[i]}, or {@code null}: the arguments of {@code find_or_create_by} and the
   * like, the {@code where} before {@code first_or_create}; not its block nor a {@code
   * create_with}, which only set the created row's attributes.
   */
  private String randomLookup(List<Call> calls, int i) {
    List<Call> lookups = new ArrayList<>();
    if (LOOKUPS.contains(calls.get(i).name())) {
      lookups.add(calls.get(i));
    } else if (FIRST_OR.contains(calls.get(i).name())) {
      for (int k = 0; k < i; k++) {
        if (calls.get(k).name().equals("where")) {
          lookups.add(calls.get(k));
        }
      }
    }
    for (Call c : lookups) {
      for (List<Token> a : c.args()) {
        String r = random.random(a);
        if (r != null) {
          return r;
        }
      }
      for (Map.Entry<String, List<Token>> e : c.kwargs().entrySet()) {
        String r = random.random(e.getValue());
        if (r != null) {
          return e.getKey() + ": " + r;
        }
      }
    }
    return null;
  }

  /**
   * Delegations not followed into a class: {@code load_seed} (Rails' own seed loading), rake tasks
   * ({@code Rake::Task["db:seed"].invoke}), and background jobs ({@code SomeJob.new.perform(id)},
   * ActiveJob and Sidekiq), business logic run on one record whose writes depend on that record's
   * state, which a seed's reading cannot judge.
   */
  private static final Set<String> NOT_FOLLOWED =
      Set.of("load_seed", "invoke", "perform", "perform_now");

  /**
   * Ruby's own and common library constants whose {@code load}/{@code call}/{@code run}… read data
   * or run code that writes no rows ({@code YAML.load(File.read(…))}, {@code JSON.load}).
   */
  private static final Set<String> NOT_SEEDING =
      Set.of(
          "Rails",
          "Faker",
          "YAML",
          "Psych",
          "JSON",
          "Oj",
          "Marshal",
          "CSV",
          "File",
          "IO",
          "ERB",
          "Kernel",
          "Zlib",
          "Dotenv",
          "Benchmark");

  /**
   * The constant a chain starts with, namespaces joined ({@code Agreements::IaaOrderSeeder.new.run}
   * → {@code Agreements::IaaOrderSeeder}): its leading calls named with a capital.
   */
  private static String constant(List<Call> calls) {
    StringBuilder c = new StringBuilder(calls.get(0).name());
    for (int k = 1; k < calls.size() && Character.isUpperCase(calls.get(k).name().charAt(0)); k++) {
      c.append("::").append(calls.get(k).name());
    }
    return c.toString();
  }

  /** Whether call {@code i}, named {@code n}, hands the seeding to code not analysed. */
  private static boolean delegates(String n, int i, String model) {
    return DELEGATES.contains(n)
            && i > 0
            && model != null
            && !NOT_SEEDING.contains(RubyCalls.outermost(model))
        || n.equals("load_seed")
        || n.equals("invoke") && i > 0;
  }

  /**
   * Appends the operation of a statement that deletes rows through a loop over them ({@link
   * RubySeedReceivers#loopDeletesRows}, or a literal list of models: {@link
   * RubySeedReceivers#literalListDeletes}) or calls FactoryBot; whether it was one.
   */
  private static boolean rowLoopOrFactory(
      Statement st,
      List<Call> calls,
      String model,
      boolean isGuarded,
      List<Operation> ops,
      RubySeedReceivers vars) {
    Boolean literal = vars.literalListDeletes(st.tokens());
    if (literal != null) {
      if (literal) {
        ops.add(new Operation.SeedCall(st.line(), model, SeedEffect.DESTRUCTIVE, text(st)));
      }
      return true; // [Hive, Frame].each(&:destroy_all) empties each table; %w[a b] deletes nothing
    }
    if (vars.loopDeletesRows(st.tokens())) {
      ops.add(new Operation.SeedCall(st.line(), model, SeedEffect.DESTRUCTIVE, text(st)));
      return true;
    }
    Operation.SeedCall factory =
        factoryCall(calls, vars.factoryMethods(), st.line(), isGuarded, st);
    if (factory != null) {
      ops.add(factory);
    }
    return factory != null || FACTORY_BOT.contains(RubyCalls.outermost(String.valueOf(model)));
  }

  /**
   * The seed operation of a FactoryBot call, or {@code null}: {@code create}, {@code create_list}
   * and {@code create_pair} save the records they build (FactoryBot "Getting Started", "Build
   * strategies"), on {@code FactoryBot}/{@code FactoryGirl} or, after {@code include
   * FactoryBot::Syntax::Methods}, called bare with a factory name; {@code build}, {@code
   * build_stubbed} and {@code attributes_for} save nothing (the caller adds no operation for them).
   *
   * @param bare whether the file includes FactoryBot's syntax methods
   */
  private static Operation.SeedCall factoryCall(
      List<Call> calls, boolean bare, int line, boolean isGuarded, Statement st) {
    Call c;
    if (calls.size() >= 2 && FACTORY_BOT.contains(calls.get(0).name())) {
      c = calls.get(1);
    } else if (bare && calls.get(0).args().size() > 0 && calls.get(0).name(0) != null) {
      c = calls.get(0);
    } else {
      return null;
    }
    if (!Set.of("create", "create_list", "create_pair").contains(c.name())) {
      return null;
    }
    return new Operation.SeedCall(
        line,
        null,
        isGuarded ? SeedEffect.IDEMPOTENT : SeedEffect.NON_IDEMPOTENT,
        text(st) + (isGuarded ? " (guarded)" : " (a FactoryBot create saves new rows)"));
  }

  /**
   * The path or glob a {@code load}/{@code require_relative} names: a string literal, {@code
   * Rails.root.join("db", "seeds", "x.rb")}, or a block variable of an enclosing {@code
   * Dir[...]}/{@code Dir.glob(...)} loop; {@code null} when it is computed.
   */
  private static String loadPattern(Statement st) {
    List<Token> args = st.tokens().subList(1, st.tokens().size());
    String direct = joinedStrings(args);
    if (direct != null) {
      return direct;
    }
    if (args.size() == 1 && args.get(0).kind() == Kind.IDENT) {
      for (Block b : st.blocks()) {
        List<Token> o = b.opener.tokens();
        if (!o.isEmpty() && o.get(0).is("Dir")) {
          return joinedStrings(o);
        }
      }
    }
    return null;
  }

  /** Concatenates the string literals of {@code toks} with "/" (Rails.root.join style). */
  private static String joinedStrings(List<Token> toks) {
    List<String> parts = new ArrayList<>();
    for (Token t : toks) {
      if (t.kind() == Kind.STRING) {
        if (t.interpolated()) {
          return null;
        }
        parts.add(t.text());
      } else if (t.kind() == Kind.IDENT
          && !Set.of(
                  "Rails",
                  "root",
                  "join",
                  "to_s",
                  "File",
                  "expand_path",
                  "Dir",
                  "glob",
                  "sort",
                  "each",
                  "__dir__",
                  "load",
                  "require_relative",
                  "do")
              .contains(t.text())) {
        return null;
      }
    }
    return parts.isEmpty() ? null : String.join("/", parts);
  }

  private static boolean isLoop(Block b) {
    return b.opener.tokens().stream()
        .anyMatch(t -> t.is("each") || t.is("times") || t.is("each_with_index"));
  }

  private static String text(Statement st) {
    StringBuilder sb = new StringBuilder();
    for (Token t : st.tokens()) {
      String s =
          t.kind() == Kind.SYMBOL
              ? ":" + t.text()
              : t.kind() == Kind.STRING ? "\"" + t.text() + "\"" : t.text();
      if (sb.length() > 0
          && t.kind() != Kind.PUNCT
          && !(sb.charAt(sb.length() - 1) == '.' || sb.charAt(sb.length() - 1) == '(')) {
        sb.append(' ');
      }
      sb.append(s);
      if (sb.length() > 80) {
        return sb.substring(0, 80) + "…";
      }
    }
    return sb.toString();
  }
}
