package io.dbguard.core.analysis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.core.analysis.frontend.DjangoFrontEnd;
import io.dbguard.core.analysis.frontend.FrontEndResult;
import io.dbguard.core.analysis.frontend.RailsModels;
import io.dbguard.core.analysis.frontend.RubyFrontEnd;
import io.dbguard.core.analysis.frontend.SqlDelightText;
import io.dbguard.core.analysis.frontend.SqlFrontEnd;
import io.dbguard.core.analysis.frontend.SqlSplitter;
import io.dbguard.core.analysis.frontend.Suppressions;
import io.dbguard.core.analysis.model.FileKind;
import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import io.dbguard.core.analysis.model.Suppression;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The analysis entry point used by {@code dbguard lint}, the operator's analyze step and {@code
 * dbguard run}: reads migration (and seed) files, turns them into {@link Operation}s with the front
 * end for their kind, and applies every rule of {@link io.dbguard.core.analysis.rules.Rules} in one
 * pass over the batch.
 *
 * <p>Paths may be files or directories. Directories are walked recursively; SQL files, Rails
 * migrations ({@code db/migrate}, or any {@code .rb} declaring {@code ActiveRecord::Migration}),
 * Django migrations ({@code migrations/}, or any {@code .py} declaring {@code
 * migrations.Migration}) and seed files (a {@code .rake} file too when its path names {@code seed})
 * are analysed; other {@code .rb}/{@code .py}/{@code .rake} files are listed as skipped (kind
 * {@code SKIPPED}, runner {@code not-a-migration}) so that nothing is left out silently; {@code
 * schema.rb}/{@code structure.sql}/{@code __init__.py} are ignored. Files of one directory are
 * applied in natural version order (V2 before V10; Flyway repeatables {@code R__} last), which is
 * the order Flyway, golang-migrate, Rails and Django apply them. All given paths form one
 * <em>batch</em>: a table created earlier in the batch is exempt from later rules, so pass only the
 * pending migrations.
 *
 * <p>Executors (whether a file runs in one transaction): Flyway — yes, unless every statement must
 * run outside one (CONCURRENTLY, VACUUM) or {@code executeInTransaction=false} is set (script
 * comment {@code -- flyway:executeInTransaction=false} or a {@code <file>.conf} beside it);
 * golang-migrate — a multi-statement file is one implicit transaction (PostgreSQL docs, "Multiple
 * Statements in a Simple Query"); plain SQL — only explicit BEGIN/COMMIT; Rails — yes unless {@code
 * disable_ddl_transaction!}; Django — yes unless {@code atomic = False}.
 *
 * <p>Thread-safe: each call has its own state.
 */
public final class Analyzer {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Analyses {@code paths} as migrations (seed files among them are analysed as seeds).
   *
   * @throws NoSuchFileException when a path does not exist
   * @throws InputFileException when a path is not a regular file or directory (a FIFO, a device) or
   *     a file is larger than {@link AnalysisOptions#maxFileBytes()}
   * @throws IOException when a file cannot be read
   */
  public AnalysisReport analyze(List<Path> paths, AnalysisOptions options) throws IOException {
    return run(paths, options, false);
  }

  /** As {@link #analyze}, with {@code forceSeed} making every file a seed file. */
  public AnalysisReport run(List<Path> paths, AnalysisOptions options, boolean forceSeed)
      throws IOException {
    AnalysisOptions opts = options == null ? AnalysisOptions.defaults() : options;
    List<Path> files = expand(paths);
    java.util.Set<Path> given = new java.util.HashSet<>(paths);
    List<ParsedFile> parsed = new ArrayList<>();
    List<AnalyzedFile> analyzed = new ArrayList<>();
    for (Path p : files) {
      ParsedFile pf = parse(p, opts, forceSeed);
      if (pf == null) {
        continue;
      }
      if (!forceSeed && !given.contains(p)) {
        pf = NotAMigration.skipIfCode(p, pf);
      }
      analyzed.add(
          new AnalyzedFile(
              pf.path(),
              pf.kind(),
              pf.runner(),
              pf.dialect(),
              pf.wrappedInTransaction(),
              pf.sha256(),
              pf.operations().size()));
      if (pf.kind() != FileKind.SKIPPED) {
        parsed.add(pf);
      }
    }
    List<SeedClassification> seeds = new ArrayList<>();
    List<Finding> findings = new RuleEngine().run(parsed, opts, seeds);
    return new AnalysisReport(List.copyOf(analyzed), List.copyOf(findings), List.copyOf(seeds));
  }

  /** Files of {@code paths} in application order (directories walked, naturally sorted). */
  static List<Path> expand(List<Path> paths) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new NoSuchFileException(p.toString());
      }
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(Files::isRegularFile)
              .filter(FileClassifier::interesting)
              .sorted(Analyzer::compareForApply)
              .forEach(out::add);
        }
      } else {
        InputFiles.checkRegular(p);
        out.add(p);
      }
    }
    return out;
  }

  /**
   * The order migrations apply in: by directory, then Flyway's repeatable {@code R__} files after
   * the versioned ones, then by {@link #natural} file name.
   */
  static int compareForApply(Path a, Path b) {
    Path pa = a.getParent();
    Path pb = b.getParent();
    if (pa != null && pb != null && !pa.equals(pb)) {
      return natural(pa.toString(), pb.toString());
    }
    boolean ra = a.getFileName().toString().startsWith("R__");
    boolean rb = b.getFileName().toString().startsWith("R__");
    if (ra != rb) {
      return ra ? 1 : -1;
    }
    return natural(a.getFileName().toString(), b.getFileName().toString());
  }

  /** Natural order: digit runs compare numerically. */
  static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
        String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
        int c =
            na.length() != nb.length()
                ? Integer.compare(na.length(), nb.length())
                : na.compareTo(nb);
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** Parses one file with the front end for its kind; {@code null} for unsupported files. */
  static ParsedFile parse(Path p, AnalysisOptions opts, boolean forceSeed) throws IOException {
    return parse(p, opts, forceSeed, 0);
  }

  /**
   * {@code ops} of a SQL seed with a {@link Operation.LoadFile} at the line of each psql {@code
   * \i}/{@code \include} (a path from the application root) and {@code \ir}/{@code
   * \include_relative} (a path from the seed's directory) meta-command, which run the named file
   * (PostgreSQL manual, "psql", "Meta-Commands"); in line order.
   */
  private static List<Operation> withIncludes(String sql, List<Operation> ops) {
    List<Operation> out = new ArrayList<>(ops);
    for (SqlSplitter.MetaCommand m : SqlSplitter.split(sql, 1).metaCommands()) {
      String[] words = m.text().split("\\s+", 2);
      boolean relative = words[0].equals("\\ir") || words[0].equals("\\include_relative");
      if (words.length == 2 && (relative || words[0].matches("\\\\i(nclude)?"))) {
        String path = words[1].strip().replaceAll("^'(.*)'$", "$1");
        out.add(new Operation.LoadFile(m.line(), path, relative, m.text()));
      }
    }
    out.sort(Comparator.comparingInt(Operation::line));
    return out;
  }

  /**
   * Whether the tool that applies a SQL migration runs it inside one transaction: Flyway unless
   * told not to ({@code flyway:executeInTransaction=false} in the file or its {@code .conf}) or
   * every statement must run outside one; golang-migrate when the file has several statements;
   * Diesel unless {@code metadata.toml} says {@code run_in_transaction = false}; goose, dbmate and
   * sql-migrate as their markers say ({@link UpDownFile}); a plain file never.
   */
  private static boolean runsInTransaction(
      Path p, String runner, SqlFrontEnd.Result r, Optional<UpDownFile.Forward> upDown)
      throws IOException {
    switch (runner) {
      case "flyway" -> {
        boolean noTx =
            r.comments().stream()
                .anyMatch(
                    cm ->
                        cm.text()
                            .replace(" ", "")
                            .toLowerCase(Locale.ROOT)
                            .contains("flyway:executeintransaction=false"));
        Path conf = p.resolveSibling(p.getFileName() + ".conf");
        if (Files.isReadable(conf)) {
          noTx |= Files.readString(conf).replace(" ", "").contains("executeInTransaction=false");
        }
        return !noTx && !r.onlyNonTransactional();
      }
      case "golang-migrate" -> {
        return r.statementCount() > 1;
      }
      case "diesel" -> {
        Path meta = p.resolveSibling("metadata.toml");
        return !(Files.isReadable(meta)
            && Files.readString(meta).replace(" ", "").contains("run_in_transaction=false"));
      }
      case "goose", "dbmate", "sql-migrate" -> {
        return upDown.map(UpDownFile.Forward::inTransaction).orElse(false);
      }
      default -> {
        return false;
      }
    }
  }

  /**
   * The type the last {@code ALTER COLUMN … TYPE} of each {@code table.column} in the down sections
   * of a goose, dbmate or sql-migrate file gives it ({@code null} when not read); empty for a file
   * without sections.
   */
  private static Map<String, String> downTypes(
      Optional<UpDownFile.Forward> upDown, String text, String dialect) {
    return upDown.isEmpty()
        ? Map.of()
        : UpDownFile.downText(text)
            .map(down -> new SqlFrontEnd(dialect).typesGiven(down, 1))
            .orElse(Map.of());
  }

  static ParsedFile parse(Path p, AnalysisOptions opts, boolean forceSeed, int depth)
      throws IOException {
    byte[] bytes = InputFiles.read(p, opts.maxFileBytes());
    String text = new String(bytes, StandardCharsets.UTF_8);
    String sha = sha256(bytes);
    FileClassifier.Classification c = FileClassifier.classify(p, text, opts.dialect(), forceSeed);
    if (c == null) {
      return null;
    }
    text = SqlDelightText.asSql(p.getFileName().toString(), text);
    String path = p.toString();
    switch (c.kind()) {
      case SKIPPED -> {
        return new ParsedFile(
            path, c.kind(), c.dialect(), c.runner(), false, List.of(), List.of(), sha);
      }
      case SQL_MIGRATION, SEED_SQL -> {
        // the classifier named the runner from the markers; only those files have sections
        Optional<UpDownFile.Forward> upDown =
            UpDownFile.holdsBothDirections(c.runner()) ? UpDownFile.of(text) : Optional.empty();
        SqlFrontEnd.Result r =
            new SqlFrontEnd(c.dialect())
                .parse(upDown.map(UpDownFile.Forward::text).orElse(text), 1);
        List<Suppression> sups = new ArrayList<>();
        for (SqlSplitter.Comment cm : r.comments()) {
          Suppressions.fromComment(cm.text(), cm.line()).ifPresent(sups::add);
        }
        boolean wrapped = runsInTransaction(p, c.runner(), r, upDown);
        List<Operation> ops =
            c.kind() == FileKind.SQL_MIGRATION
                ? SqlHistory.withPreviousTypes(
                    p, c.dialect(), r.operations(), downTypes(upDown, text, c.dialect()))
                : SeedLoads.followLoads(p, withIncludes(text, r.operations()), opts, depth);
        return new ParsedFile(path, c.kind(), c.dialect(), c.runner(), wrapped, ops, sups, sha);
      }
      case RAILS_MIGRATION, SEED_RUBY -> {
        boolean seed = c.kind() == FileKind.SEED_RUBY;
        RubyFrontEnd fe = new RubyFrontEnd(seed, seed ? RailsModels.beside(p) : RailsModels.none());
        FrontEndResult r = fe.parse(text);
        List<Operation> ops = r.operations();
        if (c.kind() == FileKind.SEED_RUBY) {
          ops = SeedLoads.followLoads(p, ops, opts, depth);
        } else {
          ops =
              RailsHistory.withPreviousAdditions(
                  p, RailsHistory.withPreviousTypes(p, ops, fe.downTypes()));
        }
        return new ParsedFile(
            path,
            c.kind(),
            c.dialect(),
            c.runner(),
            c.kind() == FileKind.RAILS_MIGRATION && r.wrappedInTransaction(),
            ops,
            r.suppressions(),
            sha);
      }
      case DJANGO_MIGRATION, SEED_PYTHON -> {
        Path parent = p.toAbsolutePath().getParent();
        String app = parent == null ? "app" : parent.getFileName().toString();
        if (app.equals("migrations") && parent.getParent() != null) {
          app = parent.getParent().getFileName().toString();
        }
        DjangoFrontEnd fe = new DjangoFrontEnd(app, c.kind() == FileKind.SEED_PYTHON);
        if (c.kind() == FileKind.DJANGO_MIGRATION) {
          fe.withHistory(DjangoHistory.before(p, app));
        }
        FrontEndResult r = fe.parse(text);
        List<Operation> ops = SeedLoads.followLoads(p, r.operations(), opts, depth);
        return new ParsedFile(
            path,
            c.kind(),
            c.dialect(),
            c.runner(),
            c.kind() == FileKind.DJANGO_MIGRATION && r.wrappedInTransaction(),
            ops,
            r.suppressions(),
            sha);
      }
      case SEED_FIXTURE -> {
        return new ParsedFile(
            path, c.kind(), c.dialect(), c.runner(), false, fixture(p, text), List.of(), sha);
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * Django fixture: {@code loaddata} updates objects that carry a {@code pk} (idempotent) and
   * inserts those without one (non-idempotent).
   */
  private static List<Operation> fixture(Path p, String text) {
    List<Operation> ops = new ArrayList<>();
    if (p.toString().endsWith(".json")) {
      try {
        JsonNode root = JSON.readTree(text);
        int line = 1;
        for (JsonNode obj : root) {
          String model = obj.path("model").asText("?");
          boolean pk = obj.has("pk") && !obj.get("pk").isNull();
          ops.add(
              new Operation.SeedCall(
                  line++,
                  model,
                  pk ? Operation.SeedEffect.IDEMPOTENT : Operation.SeedEffect.NON_IDEMPOTENT,
                  "fixture object " + model + (pk ? " with pk" : " without pk")));
        }
      } catch (IOException e) {
        ops.add(new Operation.Unparsed(1, p.getFileName().toString(), "invalid JSON fixture"));
      }
    } else {
      String[] lines = text.split("\n");
      for (int i = 0; i < lines.length; i++) {
        String l = lines[i].strip();
        if (l.startsWith("- model:")) {
          boolean pk = false;
          for (int j = i + 1; j < lines.length && !lines[j].strip().startsWith("- model:"); j++) {
            pk |= lines[j].strip().startsWith("pk:") && !lines[j].strip().equals("pk: null");
          }
          String model = l.substring("- model:".length()).strip();
          ops.add(
              new Operation.SeedCall(
                  i + 1,
                  model,
                  pk ? Operation.SeedEffect.IDEMPOTENT : Operation.SeedEffect.NON_IDEMPOTENT,
                  "fixture object " + model + (pk ? " with pk" : " without pk")));
        }
      }
    }
    return ops;
  }

  /** Lower-case hex SHA-256. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by the JDK", e);
    }
  }

  static Comparator<Path> order() {
    return Analyzer::compareForApply;
  }
}
