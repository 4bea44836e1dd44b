package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.ConstraintKind;
import io.dbguard.core.analysis.model.Operation.Where;
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

  /** Types created earlier in the batch ({@code CREATE TYPE … AS ENUM}). */
  private final Set<String> createdTypes = new HashSet<>();

  private final ColumnFindings columns = new ColumnFindings(created);

  /** Tables renamed away to be rebuilt (second SQLite order): renamed name → original name. */
  private final Map<String, String> renamedForRebuild = new java.util.HashMap<>();

  private final EnumLabels enumLabels = new EnumLabels();

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
      } else if (op instanceof Operation.DropTable d) {
        String original = renamedForRebuild.remove(d.table());
        String rebuilt = original != null ? original : rebuiltAs(files, fi, oi, d.table());
        List<String> left =
            rebuilt == null
                ? List.of()
                : SqliteRebuilds.uncopied(files, fi, oi, d.table(), rebuilt);
        List<String> renamedAway =
            rebuilt == null || !left.isEmpty()
                ? List.of()
                : SqliteRebuilds.missingFromRebuilt(files, fi, oi, d.table(), rebuilt);
        if (!created.contains(d.table()) || original != null) {
          for (String col : renamedAway) {
            out.add(
                f(
                    Rules.DROP_COLUMN,
                    p,
                    line,
                    "table "
                        + (original != null ? original : d.table())
                        + " is rebuilt without a column named "
                        + col
                        + " (the copy into "
                        + rebuilt
                        + " reads it into another column): the running version's reads and"
                        + " writes of "
                        + col
                        + " fail"));
          }
          for (String col : left) {
            out.add(
                f(
                    Rules.DROP_COLUMN,
                    p,
                    line,
                    "table "
                        + (original != null ? original : d.table())
                        + " is rebuilt without column "
                        + col
                        + " (the copy into "
                        + rebuilt
                        + " does not read it): its values are lost when "
                        + d.table()
                        + " is dropped"));
          }
        }
        if (!left.isEmpty() || !renamedAway.isEmpty()) {
          created.remove(d.table());
        } else if (original != null) {
          out.add(
              SqliteRebuilds.copied(files, fi, oi, d.table(), original)
                  ? f(
                      Rules.TABLE_REBUILD,
                      p,
                      line,
                      "table "
                          + original
                          + " is rebuilt (rename, create, copy, drop): check every column is"
                          + " copied")
                  : f(
                      Rules.DROP_TABLE,
                      p,
                      line,
                      "drops table "
                          + d.table()
                          + " (the renamed original of "
                          + original
                          + ") without copying its rows into the new "
                          + original));
        } else if (!created.contains(d.table())) {
          String replacement = rebuiltAs(files, fi, oi, d.table());
          if (replacement != null
              && !SqliteRebuilds.copied(files, fi, oi, d.table(), replacement)) {
            out.add(
                f(
                    Rules.DROP_TABLE,
                    p,
                    line,
                    "drops table "
                        + d.table()
                        + " and all its rows: the table replacing it ("
                        + replacement
                        + ") was not filled from it"));
          } else if (replacement != null) {
            out.add(
                f(
                    Rules.TABLE_REBUILD,
                    p,
                    line,
                    "table "
                        + d.table()
                        + " is rebuilt (copy, drop, rename): check every column is copied"));
          } else {
            out.add(f(Rules.DROP_TABLE, p, line, "drops table " + d.table() + " and all its rows"));
          }
        }
        created.remove(d.table());
      } else if (op instanceof Operation.DropSchema d) {
        out.add(f(Rules.DROP_SCHEMA, p, line, "DROP " + d.kind() + " " + d.name()));
      } else if (op instanceof Operation.RenameTable r) {
        if (created.contains(r.table())) {
          created.add(r.newName());
        } else if (SqliteRebuilds.renamesAwayToRebuild(files, fi, oi, r.table(), r.newName())) {
          renamedForRebuild.put(r.newName(), r.table());
        } else {
          out.add(
              f(
                  Rules.RENAME_TABLE,
                  p,
                  line,
                  "renames table "
                      + r.table()
                      + " to "
                      + r.newName()
                      + " while old code uses the old name"));
        }
      } else if (op instanceof Operation.RenameSchema r) {
        out.add(
            f(Rules.RENAME_SCHEMA, p, line, "renames schema " + r.name() + " to " + r.newName()));
      } else if (op instanceof Operation.RenameColumn r) {
        if (!created.contains(r.table())) {
          out.add(
              f(
                  Rules.RENAME_COLUMN,
                  p,
                  line,
                  "renames column " + r.table() + "." + r.column() + " to " + r.newName()));
        }
      } else if (columns.handles(op, p, pg, out)) {
        // column operations: ColumnFindings
      } else if (op instanceof Operation.CreateIndex c) {
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
          } else if (!c.concurrently() && !created.contains(c.table())) {
            out.add(
                f(
                    Rules.CREATE_INDEX,
                    p,
                    line,
                    "index "
                        + nn(c.name())
                        + " on "
                        + c.table()
                        + " is built without CONCURRENTLY"));
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
                f(
                    Rules.DROP_INDEX,
                    p,
                    line,
                    "index " + d.name() + " dropped without CONCURRENTLY"));
          }
        }
      } else if (op instanceof Operation.Reindex r) {
        if (pg) {
          if (r.concurrently() && inTx) {
            out.add(
                f(Rules.CONCURRENT_IN_TX, p, line, "REINDEX CONCURRENTLY inside a transaction"));
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
      } else if (op instanceof Operation.RenameEnumValue r) {
        out.add(
            f(
                Rules.RENAME_ENUM_VALUE,
                p,
                line,
                r.oldLabel() == null || r.newLabel() == null
                    ? "renames a value of enum " + r.type()
                    : "renames value '"
                        + r.oldLabel()
                        + "' of enum "
                        + r.type()
                        + " to '"
                        + r.newLabel()
                        + "' while old code still writes '"
                        + r.oldLabel()
                        + "'"));
        enumLabels.renameValue(r.type(), r.oldLabel(), r.newLabel());
      } else if (op instanceof Operation.CreateEnum c) {
        enumRebuild(c.type(), c.labels(), p, line, out);
        enumLabels.create(c.type(), c.labels());
        createdTypes.add(c.type());
      } else if (op instanceof Operation.AddEnumValue a) {
        enumLabels.add(a.type(), a.label());
      } else if (op instanceof Operation.RenameType r) {
        List<String> labels = enumLabels.renameType(r.type(), r.newName());
        if (labels != null) {
          enumRebuild(r.newName(), labels, p, line, out);
        }
        if (createdTypes.remove(r.type())) {
          createdTypes.add(r.newName());
        } else if (!typeCreatedLater(files, fi, oi, r.type())) {
          out.add(
              f(
                  Rules.RENAME_TYPE,
                  p,
                  line,
                  "renames type "
                      + r.type()
                      + " to "
                      + r.newName()
                      + " while old code still names "
                      + r.type()));
        }
      } else if (op instanceof Operation.DropType d) {
        d.types().forEach(enumLabels::drop);
      } else if (op instanceof Operation.Truncate t) {
        List<String> existing = t.tables().stream().filter(x -> !created.contains(x)).toList();
        if (!existing.isEmpty()) {
          out.add(
              f(
                  Rules.TRUNCATE,
                  p,
                  line,
                  "TRUNCATE " + String.join(", ", existing) + " deletes every row"));
        }
      } else if (op instanceof Operation.Delete d) {
        if (!created.contains(d.table())) {
          String what = d.orm() != null ? d.orm() : "DELETE FROM " + d.table();
          if (d.where() != Where.REAL) {
            out.add(
                f(
                    Rules.DELETE_WITHOUT_WHERE,
                    p,
                    line,
                    what + whereText(d.where()) + " deletes every row"));
          } else if (pg && inTx && hasDdl) {
            out.add(
                f(
                    Rules.BACKFILL_IN_DDL_TX,
                    p,
                    line,
                    what + " runs in the same transaction as DDL"));
          }
        }
      } else if (op instanceof Operation.Update u) {
        if (!created.contains(u.table())) {
          String what = u.orm() != null ? u.orm() : "UPDATE " + u.table();
          boolean fillsNew = !u.backfill() && columns.allAddedInBatch(u.table(), u.columns());
          if (u.where() != Where.REAL && (u.backfill() || fillsNew)) {
            if (pg) { // a lock and rewrite rule: SQLite has no row locks or MVCC bloat
              out.add(
                  f(
                      Rules.FULL_TABLE_BACKFILL,
                      p,
                      line,
                      what
                          + (fillsNew
                              ? " fills "
                                  + String.join(", ", u.columns())
                                  + ", added earlier in this migration, in every row"
                              : u.where() == Where.JOIN_ONLY
                                  ? whereText(u.where())
                                      + " rewrites every joined row with values"
                                      + " read from the joined rows"
                                  : " rewrites every row with values computed from the row")));
            }
          } else if (u.where() != Where.REAL) {
            out.add(
                f(
                    Rules.UPDATE_WITHOUT_WHERE,
                    p,
                    line,
                    what
                        + whereText(u.where())
                        + (u.where() == Where.JOIN_ONLY
                            ? " overwrites every joined row"
                            : " overwrites every row")));
          } else if (pg && inTx && hasDdl) {
            out.add(
                f(
                    Rules.BACKFILL_IN_DDL_TX,
                    p,
                    line,
                    what + " runs in the same transaction as DDL"));
          }
        }
      } else if (op instanceof Operation.Unparsed u) {
        out.add(f(Rules.UNPARSED, p, line, u.reason() + ": " + u.text()));
      } else if (op instanceof Operation.DataMigration d) {
        if (!d.reversible()) {
          out.add(f(Rules.RUN_PYTHON, p, line, d.kind() + " has no reverse"));
        }
      }
    }
  }

  private static String whereText(Where w) {
    return switch (w) {
      case TAUTOLOGY -> " (WHERE is always true)";
      case JOIN_ONLY -> " (WHERE only joins it to its FROM tables)";
      default -> " without WHERE";
    };
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

  /**
   * A type named {@code type} now has {@code labels}; when an enum of that name was dropped or
   * renamed away earlier in the batch and its labels are known, the labels it loses are DBG114.
   */
  private void enumRebuild(
      String type, List<String> labels, String p, int line, List<Finding> out) {
    List<String> before = enumLabels.formerLabels(type);
    if (before == null) {
      return;
    }
    List<String> removed = before.stream().filter(l -> !labels.contains(l)).toList();
    if (!removed.isEmpty()) {
      out.add(
          f(
              Rules.ENUM_VALUE_REMOVED,
              p,
              line,
              "enum "
                  + type
                  + " is rebuilt without "
                  + (removed.size() == 1 ? "value " : "values ")
                  + String.join(", ", removed.stream().map(l -> "'" + l + "'").toList())
                  + ": rows holding "
                  + (removed.size() == 1 ? "it" : "them")
                  + " make the USING cast fail, and old code still writes "
                  + (removed.size() == 1 ? "it" : "them")));
    }
  }

  /**
   * Enum labels known from earlier in the batch ({@code CREATE TYPE … AS ENUM} gives all of them,
   * {@code ADD VALUE} / {@code RENAME VALUE} on a type created before the batch give some), and the
   * labels of an enum whose name was freed by {@code DROP TYPE} or {@code RENAME TO} (the type a
   * rebuild replaces).
   */
  private static final class EnumLabels {
    private final Map<String, List<String>> current = new java.util.HashMap<>();
    private final Map<String, List<String>> former = new java.util.HashMap<>();

    void create(String type, List<String> labels) {
      current.put(type, new ArrayList<>(labels));
    }

    void add(String type, String label) {
      List<String> l = current.computeIfAbsent(type, k -> new ArrayList<>());
      if (!l.contains(label)) {
        l.add(label);
      }
    }

    void renameValue(String type, String from, String to) {
      if (to == null) {
        return;
      }
      List<String> l = current.computeIfAbsent(type, k -> new ArrayList<>());
      int i = from == null ? -1 : l.indexOf(from);
      if (i >= 0) {
        l.set(i, to);
      } else if (!l.contains(to)) {
        l.add(to);
      }
    }

    /** Renames the type; returns its labels when known, else {@code null}. */
    List<String> renameType(String type, String newName) {
      List<String> l = current.remove(type);
      if (l == null) {
        return null;
      }
      former.put(type, List.copyOf(l));
      current.put(newName, l);
      return l;
    }

    void drop(String type) {
      List<String> l = current.remove(type);
      if (l != null) {
        former.put(type, l);
      }
    }

    /** The labels of the enum that last had this name before it was dropped or renamed; once. */
    List<String> formerLabels(String type) {
      return former.remove(type);
    }
  }

  /** DROP TABLE t followed (in this or a later file) by RENAME x TO t where x was created. */
  /** Whether a type named {@code type} is created after file {@code fi}, operation {@code oi}. */
  private static boolean typeCreatedLater(List<ParsedFile> files, int fi, int oi, String type) {
    for (int i = fi; i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = i == fi ? oi + 1 : 0; j < ops.size(); j++) {
        if (ops.get(j) instanceof Operation.CreateEnum c && c.type().equals(type)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The table created in the batch that is later renamed to {@code table}, or {@code null}. */
  private String rebuiltAs(List<ParsedFile> files, int fi, int oi, String table) {
    for (int i = fi; i < files.size(); i++) {
      List<Operation> ops = files.get(i).operations();
      for (int j = i == fi ? oi + 1 : 0; j < ops.size(); j++) {
        if (ops.get(j) instanceof Operation.RenameTable r
            && r.newName().equals(table)
            && created.contains(r.table())) {
          return r.table();
        }
      }
    }
    return null;
  }

  private static boolean isDdl(Operation op) {
    return !(op instanceof Operation.Insert
        || op instanceof Operation.Update
        || op instanceof Operation.Delete
        || op instanceof Operation.Transaction
        || op instanceof Operation.Unparsed
        || op instanceof Operation.SeedCall
        || op instanceof Operation.LoadFile
        || op instanceof Operation.DataMigration);
  }

  private static String nn(String s) {
    return s == null ? "(unnamed)" : s;
  }

  private static Finding f(Rule r, String file, int line, String msg) {
    return new Finding(r, file, line, msg, false, null);
  }
}
