package io.dbguard.gitops;

import io.dbguard.testcluster.TestCluster;
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
 * Runs the Argo CD health check the chart ships, {@code helm/dbguard/files/argocd-health.lua} (read
 * from the repository on every call, never copied), as Argo CD does: in a Lua 5.1 VM (luaj) with
 * the resource as the global {@code obj}. Numbers reach the script as doubles, as in Argo CD's Lua
 * VM; maps become tables, lists 1-based tables.
 */
public final class ArgoCdHealthScript {
  /** The shipped script. */
  public static final Path SCRIPT =
      TestCluster.repoRoot().resolve("helm/dbguard/files/argocd-health.lua");

  private ArgoCdHealthScript() {}

  /**
   * The health the script gives {@code obj}.
   *
   * @param obj the resource as a JSON tree (what the API server returns, as maps and lists)
   * @return {@code status} (Healthy, Progressing, Degraded, Suspended) and {@code message} (empty
   *     when the script sets none)
   * @throws UncheckedIOException when the script cannot be read
   * @throws IllegalStateException when the script does not return a table
   */
  public static Map<String, String> evaluate(Map<String, Object> obj) {
    String script;
    try {
      script = Files.readString(SCRIPT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(obj));
    LuaValue result = globals.load(script, "argocd-health.lua").call();
    if (!result.istable()) {
      throw new IllegalStateException("argocd-health.lua returned " + result.typename());
    }
    String message = result.get("message").isnil() ? "" : result.get("message").tojstring();
    return Map.of("status", result.get("status").tojstring(), "message", message);
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
