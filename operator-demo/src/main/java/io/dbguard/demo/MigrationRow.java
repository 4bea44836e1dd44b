package io.dbguard.demo;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code kubectl get dbmig} row of a DatabaseMigration: the CRD's printer columns (NAME, PHASE,
 * READY, IMAGE, BACKUP, REASON, AGE) plus the step running and the status message, read from an
 * untyped resource (the demo does not link the operator's model classes).
 *
 * @param name {@code metadata.name}
 * @param phase {@code status.phase}, {@code ""} before the operator wrote a status
 * @param ready status of the {@code Ready} condition ({@code True}/{@code False}), or {@code ""}
 * @param image {@code status.image}, or {@code ""}
 * @param backup {@code status.backup.name}, or {@code ""}
 * @param reason {@code status.reason}, or {@code ""}
 * @param step {@code status.current.step} (the Job step running), or {@code ""}
 * @param message {@code status.message}, or {@code ""}
 * @param created {@code metadata.creationTimestamp}, or null
 */
public record MigrationRow(
    String name,
    String phase,
    String ready,
    String image,
    String backup,
    String reason,
    String step,
    String message,
    Instant created) {

  /** Column widths of {@link #format}: NAME PHASE READY IMAGE BACKUP REASON AGE. */
  private static final String FORMAT = "%-6s %-11s %-6s %-12s %-36s %-19s %s";

  /** The header line, aligned with {@link #format(Instant)}. */
  public static String header() {
    return String.format(FORMAT, "NAME", "PHASE", "READY", "IMAGE", "BACKUP", "REASON", "AGE")
        .stripTrailing();
  }

  /** Reads the columns of a DatabaseMigration; missing fields become {@code ""}. */
  @SuppressWarnings("unchecked")
  public static MigrationRow of(GenericKubernetesResource m) {
    Map<String, Object> status =
        (Map<String, Object>) m.getAdditionalProperties().getOrDefault("status", Map.of());
    String ready = "";
    Object conditions = status.get("conditions");
    if (conditions instanceof List<?> list) {
      for (Object c : list) {
        if (c instanceof Map<?, ?> cond && "Ready".equals(cond.get("type"))) {
          ready = str(cond.get("status"));
        }
      }
    }
    Object backup = status.get("backup");
    Object current = status.get("current");
    String created = m.getMetadata().getCreationTimestamp();
    return new MigrationRow(
        m.getMetadata().getName(),
        str(status.get("phase")),
        ready,
        str(status.get("image")),
        backup instanceof Map<?, ?> b ? str(b.get("name")) : "",
        str(status.get("reason")),
        current instanceof Map<?, ?> c ? str(c.get("step")) : "",
        str(status.get("message")),
        created == null ? null : Instant.parse(created));
  }

  private static String str(Object o) {
    return o == null ? "" : o.toString();
  }

  /** The row as {@code kubectl get dbmig} prints it, with AGE relative to {@code now}. */
  public String format(Instant now) {
    return String.format(
            FORMAT,
            name,
            phase,
            ready,
            image,
            backup,
            reason,
            created == null ? "" : age(Duration.between(created, now)))
        .stripTrailing();
  }

  /** Whether the printed columns or the step differ (AGE and message ignored). */
  public boolean differsFrom(MigrationRow other) {
    return other == null
        || !Objects.equals(phase, other.phase)
        || !Objects.equals(ready, other.ready)
        || !Objects.equals(image, other.image)
        || !Objects.equals(backup, other.backup)
        || !Objects.equals(reason, other.reason)
        || !Objects.equals(step, other.step);
  }

  /** kubectl's short age: {@code 42s}, {@code 3m5s}, {@code 2h10m}; negative counts as 0. */
  public static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 600) {
      return (s / 60) + "m" + (s % 60) + "s";
    }
    if (s < 3 * 3600) {
      return (s / 3600 > 0 ? (s / 3600) + "h" : "") + ((s % 3600) / 60) + "m";
    }
    return (s / 3600) + "h";
  }
}
