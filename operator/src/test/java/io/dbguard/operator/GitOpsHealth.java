package io.dbguard.operator;

import io.dbguard.testcluster.TestCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * How the two GitOps controllers the docs name judge a live DatabaseMigration (docs/install.md,
 * "Argo CD health check" and "Flux"):
 *
 * <ul>
 *   <li>Argo CD: the health check the chart ships, {@code helm/dbguard/files/argocd-health.lua}
 *       (read from the repository, not copied), run in a Lua 5.1 VM with the resource as the global
 *       {@code obj}; numbers are doubles, as Argo CD's Lua VM has them;
 *   <li>Flux: the kstatus rules its health checks apply to a custom resource, the stricter reading:
 *       {@code InProgress} while {@code status.observedGeneration} differs from {@code
 *       metadata.generation}; then {@code Failed} when {@code Stalled} is True, {@code InProgress}
 *       when {@code Reconciling} is True, {@code Current} only when {@code Ready} (of that
 *       generation) is True, otherwise {@code InProgress}.
 * </ul>
 */
final class GitOpsHealth {
  /** The shipped Argo CD health check. */
  static final Path ARGO_LUA =
      TestCluster.repoRoot().resolve("helm/dbguard/files/argocd-health.lua");

  private GitOpsHealth() {}

  /**
   * Argo CD's health of {@code live}.
   *
   * @param live the object as the API server returned it
   * @return {@code status} (Healthy, Progressing, Degraded, Suspended) and {@code message}
   */
  static Map<String, String> argo(HasMetadata live) {
    String script;
    try {
      script = Files.readString(ARGO_LUA);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(tree(live)));
    LuaValue result = globals.load(script, "argocd-health.lua").call();
    String message = result.get("message").isnil() ? "" : result.get("message").tojstring();
    return Map.of("status", result.get("status").tojstring(), "message", message);
  }

  /**
   * Flux's (kstatus) status of {@code live}: {@code Current}, {@code InProgress} or {@code Failed}.
   */
  @SuppressWarnings("unchecked")
  static String kstatus(HasMetadata live) {
    Map<String, Object> obj = tree(live);
    Map<String, Object> meta = (Map<String, Object>) obj.get("metadata");
    Map<String, Object> st = (Map<String, Object>) obj.get("status");
    long generation = ((Number) meta.get("generation")).longValue();
    if (st == null) {
      return "InProgress";
    }
    Number observed = (Number) st.get("observedGeneration");
    if (observed == null || observed.longValue() != generation) {
      return "InProgress";
    }
    List<Map<String, Object>> conditions =
        st.get("conditions") == null ? List.of() : (List<Map<String, Object>>) st.get("conditions");
    if (isTrue(conditions, "Stalled", generation)) {
      return "Failed";
    }
    if (isTrue(conditions, "Reconciling", generation)) {
      return "InProgress";
    }
    return isTrue(conditions, "Ready", generation) ? "Current" : "InProgress";
  }

  private static boolean isTrue(List<Map<String, Object>> conditions, String type, long gen) {
    for (Map<String, Object> c : conditions) {
      Number cg = (Number) c.get("observedGeneration");
      if (type.equals(c.get("type"))
          && "True".equals(c.get("status"))
          && (cg == null || cg.longValue() == gen)) {
        return true;
      }
    }
    return false;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(HasMetadata live) {
    return Serialization.jsonMapper().convertValue(live, Map.class);
  }

  private static LuaValue toLua(Object value) {
    if (value instanceof Map<?, ?> m) {
      LuaTable t = new LuaTable();
      m.forEach((k, v) -> t.set(String.valueOf(k), toLua(v)));
      return t;
    }
    if (value instanceof List<?> l) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < l.size(); i++) {
        t.set(i + 1, toLua(l.get(i)));
      }
      return t;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return value == null ? LuaValue.NIL : LuaValue.valueOf(String.valueOf(value));
  }
}
