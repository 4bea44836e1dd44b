package io.dbguard.core.analysis.seed;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Operation.SeedEffect;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Classifies a parsed seed file. Precedence: destructive (any delete/truncate) › non-idempotent (an
 * unguarded create or plain INSERT) › unknown (delegation to code not analysed) › idempotent. A
 * guard clause ({@code return if User.exists?}, {@code if X.objects.exists(): return}) makes every
 * later create idempotent; guarded blocks are resolved by the front ends.
 */
public final class SeedClassifier {

  private SeedClassifier() {}

  /** Classifies {@code file}. */
  public static SeedClassification classify(ParsedFile file) {
    Operation destructive = null;
    Operation nonIdem = null;
    Operation delegated = null;
    int guardLine = Integer.MAX_VALUE;
    List<String> idem = new ArrayList<>();
    for (Operation op : file.operations()) {
      if (op instanceof Operation.SeedCall s && s.effect() == SeedEffect.GUARD) {
        guardLine = Math.min(guardLine, s.line());
      }
    }
    for (Operation op : file.operations()) {
      boolean guarded = op.line() > guardLine;
      if (op instanceof Operation.Truncate
          || op instanceof Operation.Delete
          || op instanceof Operation.DropTable
          || (op instanceof Operation.SeedCall s && s.effect() == SeedEffect.DESTRUCTIVE)) {
        destructive = destructive == null ? op : destructive;
      } else if (op instanceof Operation.Insert i && i.kind() != Operation.InsertKind.TABLE_QUERY) {
        if (i.kind() == Operation.InsertKind.PLAIN && !guarded) {
          nonIdem = nonIdem == null ? op : nonIdem;
        } else {
          idem.add(
              "INSERT into "
                  + i.table()
                  + (guarded ? " after a guard" : " with conflict handling"));
        }
      } else if (op instanceof Operation.SeedCall s) {
        switch (s.effect()) {
          case NON_IDEMPOTENT -> {
            if (guarded) {
              idem.add(s.text() + " after the guard at line " + guardLine);
            } else {
              nonIdem = nonIdem == null ? op : nonIdem;
            }
          }
          case DELEGATED -> delegated = delegated == null ? op : delegated;
          case IDEMPOTENT -> idem.add(s.text());
          default -> {}
        }
      }
    }
    if (destructive != null) {
      return new SeedClassification(
          file.path(),
          Idempotency.DESTRUCTIVE,
          destructive.line(),
          "deletes data: " + describe(destructive));
    }
    if (nonIdem != null) {
      return new SeedClassification(
          file.path(),
          Idempotency.NON_IDEMPOTENT,
          nonIdem.line(),
          "creates rows unconditionally: " + describe(nonIdem));
    }
    if (delegated != null) {
      return new SeedClassification(
          file.path(),
          Idempotency.UNKNOWN,
          delegated.line(),
          "delegates to code not analysed: " + describe(delegated));
    }
    if (idem.isEmpty()) {
      return new SeedClassification(file.path(), Idempotency.IDEMPOTENT, 0, "no writes found");
    }
    return new SeedClassification(
        file.path(),
        Idempotency.IDEMPOTENT,
        0,
        "every write is idempotent: "
            + idem.get(0)
            + (idem.size() > 1 ? " (+" + (idem.size() - 1) + " more)" : ""));
  }

  private static String describe(Operation op) {
    if (op instanceof Operation.SeedCall s) {
      return s.text();
    }
    if (op instanceof Operation.Insert i) {
      return "INSERT INTO " + i.table() + " without ON CONFLICT/NOT EXISTS";
    }
    if (op instanceof Operation.Truncate t) {
      return "TRUNCATE " + String.join(", ", t.tables());
    }
    if (op instanceof Operation.Delete d) {
      return d.orm() != null ? d.orm() : "DELETE FROM " + d.table();
    }
    if (op instanceof Operation.DropTable d) {
      return "DROP TABLE " + d.table();
    }
    return op.toString();
  }
}
