package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import io.dbguard.core.analysis.model.ParsedFile;
import io.dbguard.core.analysis.model.Suppression;
import io.dbguard.core.analysis.rules.Rule;
import io.dbguard.core.analysis.rules.Rules;
import io.dbguard.core.analysis.seed.SeedClassification;
import io.dbguard.core.analysis.seed.SeedClassifier;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies every rule to a batch of parsed files, in order. Sequence-aware: a table created earlier
 * in the batch is exempt from the drop/rename/alter/index/constraint rules; an SQLite rebuild
 * (create new table, copy, drop old, rename new to old) is one {@code DBG222} warning instead of a
 * drop and a rename. Executor-aware: {@link ParsedFile#wrappedInTransaction()} plus explicit {@code
 * BEGIN}/{@code COMMIT} decide whether CONCURRENTLY runs inside a transaction. Lock and rewrite
 * rules (DBG2nn) apply to PostgreSQL only; SQLite has no concurrent DDL.
 */
final class RuleEngine {

  private final Set<String> created = new HashSet<>();

  /** Tables created in the batch from a query that selects some rows only. */
  private final Set<String> selectedRows = new HashSet<>();

  /** Enum and type operations. */
  private final TypeFindings types = new TypeFindings();

  private final ColumnFindings columns = new ColumnFindings(created);

  /** Table drops and renames, SQLite rebuilds among them. */
  private final RebuildFindings rebuilds = new RebuildFindings(created);

  /** Columns moved aside and back (rename, add, copy, drop). */
  private final ColumnMoves moves = new ColumnMoves();

  private final DataFindings data = new DataFindings(created, selectedRows, columns, moves);

  /** Findings of the batch, suppressions and acknowledgements applied. */
  List<Finding> run(
      List<ParsedFile> files, AnalysisOptions options, List<SeedClassification> seeds) {
    List<Finding> all = new ArrayList<>();
    Map<Suppression, Boolean> used = new IdentityHashMap<>();
    for (int fi = 0; fi < files.size(); fi++) {
      ParsedFile file = files.get(fi);
      List<Finding> raw = new ArrayList<>();
      if (file.kind().isSeed()) {
        SeedClassification c = SeedClassifier.classify(file);
        seeds.add(c);
        seedFindings(file, c, raw);
      } else {
        migrationFindings(files, fi, raw);
      }
      for (Finding f : raw) {
        all.add(suppress(f, file, used));
      }
      for (Suppression s : file.suppressions()) {
        if (!used.containsKey(s) && reportsUnused(s)) {
          all.add(
              new Finding(
                  Rules.UNUSED_SUPPRESSION,
                  file.path(),
                  s.line(),
                  s.origin()
                      + (s.selectors().isEmpty() ? "" : " " + String.join(",", s.selectors()))
                      + " suppresses no finding",
                  false,
                  null));
        }
      }
    }
    // acknowledgements from options
    List<Finding> out = new ArrayList<>();
    Set<Acknowledgement> usedAcks = new HashSet<>();
    Map<String, String> shaByPath = new java.util.HashMap<>();
    files.forEach(f -> shaByPath.put(f.path(), f.sha256()));
    for (Finding f : all) {
      Finding g = f;
      if (!f.acknowledged() && f.rule() != Rules.UNUSED_SUPPRESSION) {
        for (Acknowledgement a : options.acknowledgements()) {
          if (f.rule().isSelectedBy(a.rule()) && a.matchesFile(f.file(), shaByPath.get(f.file()))) {
            g = f.acknowledge("acknowledged " + a);
            usedAcks.add(a);
            break;
          }
        }
      }
      out.add(g);
    }
    for (Acknowledgement a : options.acknowledgements()) {
      if (!usedAcks.contains(a)) {
        boolean fileKnown = files.stream().anyMatch(f -> a.matchesPath(f.path()));
        boolean shaMismatch =
            a.sha256() != null
                && files.stream()
                    .anyMatch(f -> a.matchesPath(f.path()) && !a.matchesFile(f.path(), f.sha256()));
        out.add(
            new Finding(
                Rules.UNUSED_SUPPRESSION,
                a.file(),
                0,
                "acknowledgement "
                    + a
                    + " matches no finding"
                    + (shaMismatch
                        ? " (the file's SHA-256 changed since it was reviewed)"
                        : fileKnown ? "" : " (no such file analysed)"),
                false,
                null));
      }
    }
    return out;
  }

  private static boolean reportsUnused(Suppression s) {
    if (!s.origin().startsWith("squawk")) {
      return true;
    }
    // a squawk-ignore for squawk-only rules is for squawk, not for us
    return s.selectors().isEmpty()
        || s.selectors().stream().anyMatch(x -> Rules.find(x).isPresent());
  }

  private static Finding suppress(Finding f, ParsedFile file, Map<Suppression, Boolean> used) {
    if (f.rule() == Rules.UNUSED_SUPPRESSION) {
      return f;
    }
    for (Suppression s : file.suppressions()) {
      boolean ruleOk =
          s.selectors().isEmpty() || s.selectors().stream().anyMatch(x -> f.rule().isSelectedBy(x));
      if (!ruleOk) {
        continue;
      }
      boolean lineOk;
      if (s.wholeFile()) {
        lineOk = true;
      } else if (s.endLine() > s.line()) {
        lineOk = f.line() >= s.line() && f.line() <= s.endLine();
      } else {
        lineOk = f.line() == s.line() || f.line() == nextOpLine(file, s.line());
      }
      if (lineOk) {
        used.put(s, true);
        return f.acknowledge(s.origin() + (s.reason().isEmpty() ? "" : ": " + s.reason()));
      }
    }
    return f;
  }

  private static int nextOpLine(ParsedFile file, int line) {
    int best = Integer.MAX_VALUE;
    for (Operation op : file.operations()) {
      if (op.line() > line && op.line() < best) {
        best = op.line();
      }
    }
    return best;
  }

  // ---- seeds ----

  private static void seedFindings(ParsedFile file, SeedClassification c, List<Finding> out) {
    for (Operation op : file.operations()) {
      String what = destructive(op);
      if (what != null) {
        out.add(new Finding(Rules.SEED_DESTRUCTIVE, file.path(), op.line(), what, false, null));
      }
      if (op instanceof Operation.Unparsed u) {
        out.add(
            new Finding(
                Rules.UNPARSED, file.path(), u.line(), u.reason() + ": " + u.text(), false, null));
      }
    }
    switch (c.idempotency()) {
      case NON_IDEMPOTENT ->
          out.add(
              new Finding(
                  Rules.SEED_NOT_IDEMPOTENT, file.path(), c.line(), c.reason(), false, null));
      case UNKNOWN ->
          out.add(new Finding(Rules.SEED_UNKNOWN, file.path(), c.line(), c.reason(), false, null));
      default -> {}
    }
  }

  /** Describes a destructive seed operation, or {@code null}. */
  static String destructive(Operation op) {
    if (op instanceof Operation.Truncate t) {
      return "TRUNCATE " + String.join(", ", t.tables()) + " on every seed run";
    }
    if (op instanceof Operation.Delete d) {
      return (d.orm() != null ? d.orm() : "DELETE FROM " + d.table())
          + " deletes rows on every seed run";
    }
    if (op instanceof Operation.DropTable d) {
      return "DROP TABLE " + d.table() + " in a seed";
    }
    if (op instanceof Operation.SeedCall s && s.effect() == Operation.SeedEffect.DESTRUCTIVE) {
      return s.text() + " deletes rows on every seed run";
    }
    return null;
  }

  // ---- migrations ----

  private void migrationFindings(List<ParsedFile> files, int fi, List<Finding> out) {
    ParsedFile file = files.get(fi);
    boolean pg = !"sqlite".equals(file.dialect());
    List<Operation> ops = file.operations();
    boolean hasDdl = ops.stream().anyMatch(RuleEngine::isDdl);
    int explicitTx = 0;
    Set<String> notValidInTx = new HashSet<>();
    for (int oi = 0; oi < ops.size(); oi++) {
      Operation op = ops.get(oi);
      boolean inTx = file.wrappedInTransaction() || explicitTx > 0;
      String p = file.path();
      int line = op.line();
      if (op instanceof Operation.AddColumn a && !created.contains(a.table())) {
        // the add of a move in its second order: its copy, drop and rename back are one move
        moves.startsMove(files, fi, oi, a);
      }
      if (inTx) {
        columns.defaultBeforeCommit(ops, oi); // NOT NULL judged on the state at commit (DBG109)
      }
      if (op instanceof Operation.Transaction t) {
        if (t.begin()) {
          explicitTx++;
        } else {
          explicitTx = Math.max(0, explicitTx - 1);
          notValidInTx.clear();
        }
      } else if (op instanceof Operation.CreateTable c) {
        if (c.force() && !created.contains(c.table())) {
          out.add(
              f(
                  Rules.CREATE_TABLE_FORCE,
                  p,
                  line,
                  "create_table :"
                      + c.table()
                      + " with force: drops the existing table and its rows"));
        }
        created.add(c.table());
      } else if (op instanceof Operation.SelectedRows r) {
        selectedRows.add(r.table());
      } else if (op instanceof Operation.DropTable d) {
        rebuilds.dropTable(files, fi, oi, d, p, out);
      } else if (op instanceof Operation.Insert ins) {
        rebuilds.insert(files, fi, oi, ins, p, out);
      } else if (op instanceof Operation.DropSchema d) {
        out.add(f(Rules.DROP_SCHEMA, p, line, "DROP " + d.kind() + " " + d.name()));
      } else if (op instanceof Operation.RenameTable r) {
        rebuilds.renameTable(files, fi, oi, r, p, out);
      } else if (op instanceof Operation.RenameSchema r) {
        out.add(
            f(Rules.RENAME_SCHEMA, p, line, "renames schema " + r.name() + " to " + r.newName()));
      } else if (op instanceof Operation.RenameColumn r) {
        if (!created.contains(r.table())
            && moves.of(r) == null
            && !moves.startsMove(files, fi, oi, r)) {
          out.add(
              f(
                  Rules.RENAME_COLUMN,
                  p,
                  line,
                  "renames column " + r.table() + "." + r.column() + " to " + r.newName()));
        }
      } else if (op instanceof Operation.DropColumn && moves.of(op) != null) {
        ColumnMoves.Move m = moves.of(op);
        String narrowed = ColumnMoves.narrowing(m, !pg);
        if (narrowed != null) {
          out.add(
              f(
                  Rules.INCOMPATIBLE_TYPE,
                  p,
                  line,
                  "column "
                      + m.rename().table()
                      + "."
                      + m.column()
                      + " is copied through "
                      + narrowed
                      + "; the original values are lost with the dropped "
                      + m.drop().column()));
        } else if (!pg) {
          out.add(
              f(
                  Rules.TABLE_REBUILD,
                  p,
                  line,
                  "column "
                      + m.rename().table()
                      + "."
                      + m.column()
                      + " is rebuilt ("
                      + m.steps()
                      + "): check its new definition keeps every value"));
        }
      } else if (columns.handles(op, p, pg, out)) {
        // column operations: ColumnFindings
        if (op instanceof Operation.AddColumn a && moves.of(a) != null) {
          columns.moved(a.table(), a.column());
        }
      } else if (types.handles(files, fi, oi, op, p, out)) {
        // enum and type operations: TypeFindings
      } else if (lockFindings(op, pg, inTx, notValidInTx, file, out)) {
        // indexes, constraints, partitions, rewrites: lockFindings
      } else if (data.handles(op, pg, inTx && hasDdl, p, out)) {
        // TRUNCATE, DELETE, UPDATE: DataFindings
      } else if (op instanceof Operation.Unparsed u) {
        out.add(f(Rules.UNPARSED, p, line, u.reason() + ": " + u.text()));
      } else if (op instanceof Operation.DataMigration d) {
        if (!d.reversible()) {
          out.add(f(Rules.RUN_PYTHON, p, line, d.kind() + " has no reverse"));
        }
      }
    }
  }

  /**
   * Adds the findings of an index, constraint, partition or table-rewrite operation to {@code out}
   * (the lock rules apply to PostgreSQL only).
   *
   * @param inTx whether {@code op} runs inside a transaction
   * @param notValidInTx constraints added NOT VALID in the current transaction, updated
   * @return whether {@code op} was one of these
   */
  private boolean lockFindings(
      Operation op,
      boolean pg,
      boolean inTx,
      Set<String> notValidInTx,
      ParsedFile file,
      List<Finding> out) {
    String p = file.path();
    int line = op.line();
    if (op instanceof Operation.CreateIndex c) {
      if (pg) {
        if (c.concurrently() && inTx) {
          out.add(
              f(
                  Rules.CONCURRENT_IN_TX,
                  p,
                  line,
                  "CREATE INDEX CONCURRENTLY "
                      + nn(c.name())
                      + " runs inside a transaction ("
                      + file.runner()
                      + ")"));
        } else if (!c.concurrently() && !created.contains(c.table()) && !c.onlyParent()) {
          out.add(
              f(
                  Rules.CREATE_INDEX,
                  p,
                  line,
                  "index " + nn(c.name()) + " on " + c.table() + " is built without CONCURRENTLY"));
        }
      }
    } else if (op instanceof Operation.DropIndex d) {
      if (pg) {
        if (d.concurrently() && inTx) {
          out.add(
              f(
                  Rules.CONCURRENT_IN_TX,
                  p,
                  line,
                  "DROP INDEX CONCURRENTLY "
                      + d.name()
                      + " runs inside a transaction ("
                      + file.runner()
                      + ")"));
        } else if (!d.concurrently()) {
          out.add(
              f(Rules.DROP_INDEX, p, line, "index " + d.name() + " dropped without CONCURRENTLY"));
        }
      }
    } else if (op instanceof Operation.DropConstraint d) {
      String evidence = pg && !created.contains(d.table()) ? dropsIndex(d) : null;
      if (evidence != null) {
        out.add(
            f(
                Rules.DROP_INDEX,
                p,
                line,
                evidence
                    + " "
                    + d.name()
                    + " on "
                    + d.table()
                    + " dropped: its index is dropped under an ACCESS EXCLUSIVE lock"));
      }
    } else if (op instanceof Operation.Reindex r) {
      if (pg) {
        if (r.concurrently() && inTx) {
          out.add(f(Rules.CONCURRENT_IN_TX, p, line, "REINDEX CONCURRENTLY inside a transaction"));
        } else if (!r.concurrently()) {
          out.add(f(Rules.REINDEX, p, line, "REINDEX without CONCURRENTLY"));
        }
      }
    } else if (op instanceof Operation.RewriteTable r) {
      if (pg) {
        out.add(f(Rules.VACUUM_FULL, p, line, r.what() + " rewrites the table"));
      }
    } else if (op instanceof Operation.AddConstraint c) {
      if (pg && !created.contains(c.table())) {
        constraint(c, p, out);
      }
      if (c.notValid() && c.name() != null) {
        notValidInTx.add(c.name());
      }
    } else if (op instanceof Operation.ValidateConstraint v) {
      if (pg && inTx && notValidInTx.contains(v.name())) {
        out.add(
            f(
                Rules.VALIDATE_SAME_TX,
                p,
                line,
                "constraint " + v.name() + " is validated in the transaction that added it"));
      }
    } else if (op instanceof Operation.DetachPartition d) {
      if (pg) {
        if (d.concurrently() && inTx) {
          out.add(
              f(
                  Rules.CONCURRENT_IN_TX,
                  p,
                  line,
                  "DETACH PARTITION CONCURRENTLY inside a transaction"));
        } else if (!d.concurrently()) {
          out.add(
              f(
                  Rules.DETACH_PARTITION,
                  p,
                  line,
                  "DETACH PARTITION on " + d.table() + " without CONCURRENTLY"));
        }
      }
    } else {
      return false;
    }
    return true;
  }

  /**
   * What shows that dropping {@code d} drops an index ({@code "unique constraint"}, {@code "primary
   * key"}), or {@code null} when nothing does: its kind as declared, else, when unknown, its name
   * by PostgreSQL's defaults ({@code <table>_<column>_key}, {@code <table>_pkey}) or Django's
   * ({@code …_uniq}). A foreign key or CHECK drops no index.
   */
  private static String dropsIndex(Operation.DropConstraint d) {
    if (d.kind() != null) {
      return switch (d.kind()) {
        case UNIQUE -> "unique constraint";
        case PRIMARY_KEY -> "primary key";
        default -> null;
      };
    }
    String n = d.name() == null ? "" : d.name();
    if (n.endsWith("_pkey")) {
      return "primary key (by its name)";
    }
    return n.endsWith("_key") || n.endsWith("_uniq") ? "unique constraint (by its name)" : null;
  }

  private static void constraint(Operation.AddConstraint c, String p, List<Finding> out) {
    String n = c.name() == null ? "" : " " + c.name();
    switch (c.kind()) {
      case FOREIGN_KEY, CHECK -> {
        if (!c.notValid()) {
          out.add(
              f(
                  Rules.CONSTRAINT_NOT_VALID,
                  p,
                  c.line(),
                  (c.kind() == ConstraintKind.CHECK ? "CHECK" : "FOREIGN KEY")
                      + " constraint"
                      + n
                      + " on "
                      + c.table()
                      + " is validated while blocking writes (no NOT VALID)"));
        }
      }
      case UNIQUE -> {
        if (!c.usingIndex()) {
          out.add(
              f(
                  Rules.UNIQUE_CONSTRAINT,
                  p,
                  c.line(),
                  "UNIQUE constraint" + n + " on " + c.table() + " builds its index under lock"));
        }
      }
      case PRIMARY_KEY -> {
        if (!c.usingIndex()) {
          out.add(f(Rules.PRIMARY_KEY, p, c.line(), "PRIMARY KEY" + n + " added to " + c.table()));
        }
      }
      case EXCLUDE ->
          out.add(f(Rules.EXCLUSION, p, c.line(), "exclusion constraint" + n + " on " + c.table()));
      default -> {}
    }
  }

  private static boolean isDdl(Operation op) {
    return !(op instanceof Operation.Insert
        || op instanceof Operation.Update
        || op instanceof Operation.Delete
        || op instanceof Operation.Transaction
        || op instanceof Operation.Unparsed
        || op instanceof Operation.SeedCall
        || op instanceof Operation.LoadFile
        || op instanceof Operation.DataMigration
        || op instanceof Operation.AddedByPrevious);
  }

  private static String nn(String s) {
    return s == null ? "(unnamed)" : s;
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
