package io.dbguard.operator.observe;

import io.dbguard.core.analysis.guard.GuardResult;
import io.dbguard.core.analysis.guard.ProductionGuard;
import io.dbguard.operator.model.Acknowledgement;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.Engine;
import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.plan.MigrationPlanner;
import io.dbguard.operator.plan.Validation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Validates a spec before any Job: completeness, the ProductionGuard verdict on the migrate and
 * seed commands (docs/design.md §3 validate), and that referenced objects exist (given as a lookup,
 * so this class stays free of the Kubernetes client).
 */
public final class SpecValidator {
  private final ProductionGuard guard = new ProductionGuard();

  /**
   * @param spec the spec
   * @param exists answers whether {@code Kind/name} exists in the migration's namespace
   * @return the validation; {@code invalidSpec} first, then refusal, then missing references
   */
  public Validation validate(DatabaseMigrationSpec spec, Predicate<String> exists) {
    String invalid = completeness(spec);
    if (invalid != null) {
      return new Validation(invalid, List.of(), null, null);
    }
    List<String> acknowledged =
        spec.getSafety() == null || spec.getSafety().getAcknowledge() == null
            ? List.of()
            : spec.getSafety().getAcknowledge().stream()
                .map(Acknowledgement::getCommand)
                .filter(Objects::nonNull)
                .toList();
    String env = MigrationPlanner.environment(spec);
    List<List<String>> commands = new ArrayList<>();
    MigrateSpec m = spec.getMigrate();
    if (m.getCommand() != null) {
      List<String> c = new ArrayList<>(m.getCommand());
      if (m.getArgs() != null) {
        c.addAll(m.getArgs());
      }
      commands.add(c);
    }
    if (spec.getSeed() != null && spec.getSeed().getCommand() != null) {
      commands.add(spec.getSeed().getCommand());
    }
    for (List<String> argv : commands) {
      GuardResult r = guard.checkArgv(argv, env, acknowledged, null);
      if (!r.allowed()) {
        return new Validation(
            null,
            List.of(),
            r.ruleId() + (r.ruleName() == null ? "" : " (" + r.ruleName() + ")"),
            "`" + r.fragment() + "`: " + r.reason());
      }
    }
    List<String> missing = new ArrayList<>();
    for (String ref : references(spec)) {
      if (!exists.test(ref)) {
        missing.add(ref);
      }
    }
    return new Validation(null, missing, null, null);
  }

  /** Why the spec cannot run as written, or null. */
  static String completeness(DatabaseMigrationSpec spec) {
    if (spec == null || spec.getDatabase() == null || spec.getMigrate() == null) {
      return "spec.database and spec.migrate are required";
    }
    if (spec.getDatabase().getEngine() == Engine.PostgreSQL
        && spec.getDatabase().getUrlSecretRef() == null) {
      return "database.engine PostgreSQL needs database.urlSecretRef";
    }
    if (spec.getDatabase().getEngine() == Engine.SQLite && spec.getDatabase().getVolume() == null) {
      return "database.engine SQLite needs database.volume (claimName, path)";
    }
    MigrateSpec m = spec.getMigrate();
    if (m.getSql() == null && m.getFromWorkload() == null) {
      if (m.getImage() == null || m.getCommand() == null || m.getCommand().isEmpty()) {
        return "migrate needs image and command, sql, or fromWorkload";
      }
    }
    if (spec.getRollout() != null
        && spec.getRollout().getWriteFence() == io.dbguard.operator.model.WriteFence.ReadOnly
        && spec.getDatabase().getEngine() != Engine.PostgreSQL) {
      return "rollout.writeFence ReadOnly is PostgreSQL's (a database setting); a SQLite file on"
          + " a claim has no writers but the application's pods: use ScaleToZero";
    }
    if (spec.getBackup() != null && spec.getBackup().getMethod() == BackupMethod.VolumeSnapshot) {
      return SnapshotSpecRules.invalid(spec);
    }
    if (spec.getBackup() == null || spec.getBackup().getStorage() == null) {
      return "backup.storage.claimName is required for backup.method Dump";
    }
    if (spec.getBackup().getCompressionLevel() != null
        && spec.getDatabase().getEngine() == Engine.SQLite) {
      return "backup.compressionLevel applies to PostgreSQL dumps only (SQLite backups are page"
          + " copies); remove it";
    }
    return null;
  }

  /** Objects the Jobs need, as {@code Kind/name}. */
  static List<String> references(DatabaseMigrationSpec spec) {
    List<String> refs = new ArrayList<>();
    if (spec.getDatabase().getUrlSecretRef() != null) {
      refs.add("Secret/" + spec.getDatabase().getUrlSecretRef().getName());
    }
    if (spec.getDatabase().getVolume() != null) {
      refs.add("PersistentVolumeClaim/" + spec.getDatabase().getVolume().getClaimName());
    }
    if (spec.getBackup().getStorage() != null) {
      refs.add("PersistentVolumeClaim/" + spec.getBackup().getStorage().getClaimName());
    }
    MigrateSpec m = spec.getMigrate();
    if (m.getSql() != null) {
      refs.add("ConfigMap/" + m.getSql().getConfigMapName());
    }
    if (m.getFromWorkload() != null) {
      refs.add(m.getFromWorkload().getKind() + "/" + m.getFromWorkload().getName());
    }
    return refs;
  }
}
