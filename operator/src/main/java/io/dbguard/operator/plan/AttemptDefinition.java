package io.dbguard.operator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbguard.operator.model.Acknowledgement;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseSpec;
import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.model.SafetySpec;
import io.dbguard.operator.model.SeedSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * The part of a {@code DatabaseMigration} spec that defines an attempt: the fields that change what
 * runs against the database. Everything else (backup storage, compression, retention and {@code
 * keepFailedCopies}, {@code onFailure}, {@code rollout}, {@code approval} (it decides whether and
 * how long an attempt waits, never what runs; a waiting attempt reads its current value, see {@link
 * ApprovalPlanner}), {@code toolImage} for command migrations, {@code jobTtlSeconds}, the migrate
 * container's {@code resources} and {@code timeoutSeconds}, an acknowledgement's {@code reason},
 * labels and annotations other than {@code dbguard.io/retry}) applies from the next attempt and
 * never starts one by itself.
 *
 * <p>The definition is an explicit allow-list, so a field added to the CRD later (with or without a
 * default) is not part of it unless it is added here deliberately. Fields with a CRD default are
 * written with that default when unset, so the apiserver filling in a default never changes it.
 *
 * <p>Included, in this order: {@code database} (name, engine, urlSecretRef name/key, volume
 * claimName/path); {@code migrate} (command, args, env, envFrom, databaseUrlEnv,
 * serviceAccountName, sql.configMapName, fromWorkload kind/name/container); {@code seed} (command,
 * files, policy); {@code safety} (environment, lint, migrationsPath, acknowledge rule/file/command,
 * acknowledgeDataLoss). The resolved image and the retry token are added by {@link Revisions}.
 */
public final class AttemptDefinition {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AttemptDefinition() {}

  /**
   * The canonical JSON text of the attempt-defining fields of {@code spec} (compact, fixed key
   * order, unset fields omitted, defaulted fields with their default).
   */
  public static String canonical(DatabaseMigrationSpec spec) {
    ObjectNode root = F.objectNode();
    if (spec == null) {
      return root.toString();
    }
    root.set("database", database(spec.getDatabase()));
    root.set("migrate", migrate(spec.getMigrate()));
    root.set("seed", seed(spec.getSeed()));
    root.set("safety", safety(spec.getSafety()));
    return root.toString();
  }

  private static ObjectNode database(DatabaseSpec d) {
    ObjectNode n = F.objectNode();
    if (d == null) {
      return n;
    }
    put(n, "name", d.getName());
    put(n, "engine", d.getEngine() == null ? null : d.getEngine().name());
    if (d.getUrlSecretRef() != null) {
      ObjectNode r = n.putObject("urlSecretRef");
      put(r, "name", d.getUrlSecretRef().getName());
      put(r, "key", orDefault(d.getUrlSecretRef().getKey(), "url"));
    }
    if (d.getVolume() != null) {
      ObjectNode v = n.putObject("volume");
      put(v, "claimName", d.getVolume().getClaimName());
      put(v, "path", d.getVolume().getPath());
      if (d.getVolume().getRunAsUser() != null) {
        v.put("runAsUser", d.getVolume().getRunAsUser());
      }
      if (d.getVolume().getRunAsGroup() != null) {
        v.put("runAsGroup", d.getVolume().getRunAsGroup());
      }
    }
    return n;
  }

  private static ObjectNode migrate(MigrateSpec m) {
    ObjectNode n = F.objectNode();
    if (m == null) {
      return n;
    }
    tree(n, "command", m.getCommand());
    tree(n, "args", m.getArgs());
    tree(n, "env", m.getEnv());
    tree(n, "envFrom", m.getEnvFrom());
    put(n, "databaseUrlEnv", orDefault(m.getDatabaseUrlEnv(), "DATABASE_URL"));
    put(n, "serviceAccountName", m.getServiceAccountName());
    if (m.getSql() != null) {
      put(n.putObject("sql"), "configMapName", m.getSql().getConfigMapName());
    }
    if (m.getFromWorkload() != null) {
      ObjectNode w = n.putObject("fromWorkload");
      put(
          w,
          "kind",
          m.getFromWorkload().getKind() == null ? null : m.getFromWorkload().getKind().name());
      put(w, "name", m.getFromWorkload().getName());
      put(w, "container", m.getFromWorkload().getContainer());
    }
    return n;
  }

  private static ObjectNode seed(SeedSpec s) {
    ObjectNode n = F.objectNode();
    if (s == null) {
      return n;
    }
    tree(n, "command", s.getCommand());
    tree(n, "files", s.getFiles());
    put(n, "policy", s.getPolicy() == null ? "IfIdempotent" : s.getPolicy().name());
    return n;
  }

  private static ObjectNode safety(SafetySpec s) {
    ObjectNode n = F.objectNode();
    put(n, "environment", s == null ? "production" : orDefault(s.getEnvironment(), "production"));
    put(n, "lint", s == null || s.getLint() == null ? "Enforce" : s.getLint().name());
    if (s == null) {
      return n;
    }
    put(n, "migrationsPath", s.getMigrationsPath());
    if (s.getAcknowledge() != null) {
      ArrayNode acks = n.putArray("acknowledge");
      for (Acknowledgement a : s.getAcknowledge()) {
        ObjectNode o = acks.addObject();
        put(o, "rule", a.getRule());
        put(o, "file", a.getFile());
        put(o, "command", a.getCommand());
      }
    }
    tree(n, "acknowledgeDataLoss", s.getAcknowledgeDataLoss());
    return n;
  }

  private static String orDefault(String value, String dflt) {
    return value == null ? dflt : value;
  }

  private static void put(ObjectNode n, String key, String value) {
    if (value != null) {
      n.put(key, value);
    }
  }

  private static void tree(ObjectNode n, String key, List<?> value) {
    if (value != null) {
      n.set(key, JSON.convertValue(value, JsonNode.class));
    }
  }
}
