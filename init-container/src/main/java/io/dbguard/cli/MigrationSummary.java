package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One DatabaseMigration as {@code dbguard kubectl status} shows it: what its status says, its
 * attempts (newest first) and what the rollout gate does for the images involved (decided exactly
 * as {@code dbguard gate} decides, {@link GateCommand#decide}).
 *
 * @param namespace its namespace
 * @param name its name
 * @param phase {@code status.phase}, {@code Pending} when it has no status yet
 * @param reason {@code status.reason}, or null
 * @param message {@code status.message}, or null
 * @param ready status of the {@code Ready} condition ({@code True}/{@code False}/{@code Unknown}),
 *     or null
 * @param image image of the current (or latest) attempt, or null
 * @param lastSucceededImage image whose migration last succeeded, or null
 * @param revision revision of the current attempt, or null
 * @param attempt attempt counter (1 for the first), or null
 * @param retryToken value of {@code dbguard.io/retry} the current attempt started from, or null
 * @param step the step running or about to run ({@code status.current}), or null
 * @param backup the DatabaseBackup protecting the current attempt, or null
 * @param fence {@code status.fence.state} and mode (e.g. {@code Held (ScaleToZero)}), or null
 * @param fenceMessage {@code status.fence.message}, or null
 * @param attempts {@code status.history}, newest first
 * @param gate the gate's verdict for each image involved
 */
record MigrationSummary(
    String namespace,
    String name,
    String phase,
    String reason,
    String message,
    String ready,
    String image,
    String lastSucceededImage,
    String revision,
    Integer attempt,
    String retryToken,
    Step step,
    String backup,
    String fence,
    String fenceMessage,
    List<Attempt> attempts,
    List<Gate> gate) {

  /**
   * {@code status.current}.
   *
   * @param step Analyze, Backup, Migrate, Verify, Seed, Restore …
   * @param job the Job's name
   * @param startedAt when the step was recorded, or null
   */
  record Step(String step, String job, Instant startedAt) {}

  /**
   * One entry of {@code status.history}.
   *
   * @param attempt attempt number
   * @param revision its revision
   * @param image its image
   * @param phase final (or current) phase
   * @param reason reason of the final phase, or null
   * @param startedAt start, or null
   * @param finishedAt end, or null while it runs
   * @param restoredBackup the DatabaseBackup a requested restore ({@code kubectl dbguard restore})
   *     put back, for the entry of that restore; null for a migration attempt's own entry
   */
  record Attempt(
      Integer attempt,
      String revision,
      String image,
      String phase,
      String reason,
      Instant startedAt,
      Instant finishedAt,
      String restoredBackup) {}

  /**
   * What the rollout gate does for pods of one image.
   *
   * @param image the pods' image
   * @param state {@code open}, {@code closed} (the gate exits 50) or {@code waiting}
   * @param message the gate's message
   */
  record Gate(String image, String state, String message) {}

  /** Reads a DatabaseMigration JSON tree (as the API server returns it). Never throws. */
  static MigrationSummary of(JsonNode m) {
    JsonNode meta = m.path("metadata");
    JsonNode st = m.path("status");
    JsonNode cur = st.path("current");
    Step step =
        cur.hasNonNull("step")
            ? new Step(
                cur.path("step").asText(),
                cur.path("job").asText(null),
                BackupRow.instant(cur.path("startedAt").asText(null)))
            : null;
    List<Attempt> attempts = new ArrayList<>();
    for (JsonNode h : st.path("history")) {
      attempts.add(
          0,
          new Attempt(
              h.hasNonNull("attempt") ? h.get("attempt").asInt() : null,
              h.path("revision").asText(null),
              h.path("image").asText(null),
              h.path("phase").asText(null),
              h.path("reason").asText(null),
              BackupRow.instant(h.path("startedAt").asText(null)),
              BackupRow.instant(h.path("finishedAt").asText(null)),
              h.path("restoredBackup").asText(null)));
    }
    String ready = null;
    for (JsonNode c : st.path("conditions")) {
      if ("Ready".equals(c.path("type").asText())) {
        ready = c.path("status").asText(null);
      }
    }
    JsonNode b = st.path("backup");
    String backup = b.path("databaseBackup").asText(b.path("name").asText(null));
    JsonNode f = st.path("fence");
    String fence = null;
    if (f.hasNonNull("state")) {
      fence =
          f.path("state").asText()
              + (f.hasNonNull("mode") ? " (" + f.path("mode").asText() + ")" : "");
    }
    return new MigrationSummary(
        meta.path("namespace").asText(null),
        meta.path("name").asText(null),
        st.path("phase").asText("Pending"),
        st.path("reason").asText(null),
        st.path("message").asText(null),
        ready,
        st.path("image").asText(null),
        st.path("lastSucceededImage").asText(null),
        st.path("revision").asText(null),
        st.hasNonNull("attempt") ? st.get("attempt").asInt() : null,
        st.path("retryToken").asText(null),
        step,
        backup,
        fence,
        f.path("message").asText(null),
        attempts,
        gate(GateJson.migration(m).status()));
  }

  /**
   * The gate's verdict for pods of the last succeeded image and of the current attempt's image
   * (each once), from the status map as the gate reads it. Pure.
   */
  static List<Gate> gate(Map<String, Object> status) {
    List<Gate> out = new ArrayList<>();
    if (status == null) {
      return out;
    }
    List<String> images = new ArrayList<>();
    for (Object i : new Object[] {status.get("lastSucceededImage"), status.get("image")}) {
      if (i != null && !images.contains(i.toString())) {
        images.add(i.toString());
      }
    }
    for (String image : images) {
      GateCommand.Verdict v = GateCommand.decide(status, image);
      out.add(
          new Gate(
              image,
              v.state().name().toLowerCase(java.util.Locale.ROOT),
              Objects.requireNonNullElse(v.message(), "")));
    }
    return out;
  }
}
