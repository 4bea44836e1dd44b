package io.dbguard.core.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.core.engine.WritesAfterBackup;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The small JSON document every dbguard step writes to its container's termination message ({@code
 * /dev/termination-log}, at most 4096 bytes, the kubelet's limit) and prints with {@code --output
 * json}. The operator reads it together with the exit code ({@link ExitCode}).
 *
 * <p>Shape: {@code {"step":"backup","exitCode":0,"reason":"BackupVerified","message":"…",
 * "backup":{…},"details":{…}}}. Messages never contain secrets.
 *
 * @param step the step: {@code analyze}, {@code backup}, {@code migrate}, {@code verify}, {@code
 *     seed}, {@code restore}, {@code run}, {@code gate}
 * @param exitCode numeric {@link ExitCode}
 * @param reason PascalCase reason (e.g. {@code BackupVerified}, {@code MigrationFailed}, {@code
 *     DataLossDetected})
 * @param message one or two human sentences
 * @param backup reference to the backup taken or used, or null
 * @param details small step-specific facts (string values), e.g. finding counts, lost tables
 * @param writesAfterBackup {@code restore} and {@code run} when a restore was due: the writes the
 *     database received after the backup, per table, and the failed copy that keeps them; {@code
 *     null} otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(
    String step,
    int exitCode,
    String reason,
    String message,
    BackupRef backup,
    Map<String, String> details,
    WritesAfterBackup writesAfterBackup) {

  /** The canonical constructor, the one JSON reading uses. */
  @JsonCreator
  public StepResult {}

  /** A result without {@code writesAfterBackup}. */
  public StepResult(
      String step,
      int exitCode,
      String reason,
      String message,
      BackupRef backup,
      Map<String, String> details) {
    this(step, exitCode, reason, message, backup, details, null);
  }

  /** Kubelet's limit for termination messages, in bytes. */
  public static final int MAX_TERMINATION_MESSAGE_BYTES = 4096;

  /** Characters of the message kept when the whole result does not fit. */
  public static final int MESSAGE_CAP_CHARS = 1000;

  /** The data-binding writer and reader, built at first use (the rollout gate never needs it). */
  private static final class Json {
    // no java.time module: no field here is a java.time type (verifiedAt is an ISO-8601 string)
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  /**
   * The streaming writer of a result with only step, exit code, reason and message (the rollout
   * gate's, at every pod start): building the {@code ObjectMapper} cost the gate a noticeable part
   * of its CPU time. Same defaults as the mapper's, so the same characters are escaped the same
   * way.
   */
  private static final JsonFactory STREAMING = new JsonFactory();

  /**
   * A backup as the operator records it.
   *
   * @param name backup name without extension
   * @param file backup file path (inside the backup volume) or VolumeSnapshot name
   * @param sizeBytes size in bytes
   * @param sha256 lowercase hex SHA-256; null for a VolumeSnapshot
   * @param verifiedAt UTC ISO-8601 instant verification passed, or null
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record BackupRef(
      String name, String file, long sizeBytes, String sha256, String verifiedAt) {}

  /**
   * Serializes to JSON of at most {@link #MAX_TERMINATION_MESSAGE_BYTES} bytes. When too long, the
   * message is first capped at {@link #MESSAGE_CAP_CHARS} characters, then the tables listed in
   * {@code writesAfterBackup} are cut (the application's first; the note says how many are not
   * listed), then the largest detail values are dropped, one at a time (their keys are listed in
   * {@code details.truncated}), so small facts the operator decides on ({@code outcome}, {@code
   * failedStep}, {@code newDatabase}) survive; then the message is shortened (marked with {@code
   * …}).
   */
  public String toTerminationMessage() {
    String json = toJson(this);
    if (fits(json)) {
      return json;
    }
    // 1. the human message is capped first: the details carry the facts the operator decides on
    StepResult smaller = this;
    if (message != null && message.length() > MESSAGE_CAP_CHARS) {
      smaller = smaller.withMessage(message.substring(0, MESSAGE_CAP_CHARS) + "…", details);
      json = toJson(smaller);
    }
    // 2. then the tables of writesAfterBackup (status, failed copy and note stay)
    if (!fits(json) && writesAfterBackup != null) {
      int n = writesAfterBackup.tables().size();
      while (!fits(json) && n > 0) {
        n = n / 2;
        smaller = smaller.withWritesAfterBackup(writesAfterBackup.firstTables(n));
        json = toJson(smaller);
      }
    }
    // 3. then the largest details, one at a time
    Map<String, String> kept = new LinkedHashMap<>();
    if (details != null) {
      kept.putAll(details);
    }
    List<String> dropped = new ArrayList<>();
    while (!fits(json) && !kept.isEmpty()) {
      String largest =
          kept.entrySet().stream()
              .max(Comparator.comparingInt(e -> e.getKey().length() + e.getValue().length()))
              .orElseThrow()
              .getKey();
      kept.remove(largest);
      dropped.add(largest);
      Map<String, String> d = new LinkedHashMap<>(kept);
      d.put("truncated", String.join(",", dropped));
      smaller = smaller.withMessage(smaller.message(), d);
      json = toJson(smaller);
    }
    // 4. last, the message again
    int cut = message == null ? 0 : Math.min(message.length(), MESSAGE_CAP_CHARS);
    while (!fits(json) && cut > 0) {
      cut = cut / 2;
      smaller = smaller.withMessage(message.substring(0, cut) + "…", smaller.details());
      json = toJson(smaller);
    }
    return json;
  }

  /**
   * Builds the JSON writer of a result with only step, exit code, reason and message ahead of use,
   * so that a later {@link #toTerminationMessage()} of such a result costs little: for a process
   * that has an idle moment before its result is known (the rollout gate, while its connection to
   * the API server is being prepared). Has no other effect.
   */
  public static void prepareJson() {
    toJson(new StepResult("", 0, null, null, null, null));
  }

  private StepResult withMessage(String m, Map<String, String> d) {
    return new StepResult(step, exitCode, reason, m, backup, d, writesAfterBackup);
  }

  /** A copy with {@code writesAfterBackup} set. */
  public StepResult withWritesAfterBackup(WritesAfterBackup w) {
    return new StepResult(step, exitCode, reason, message, backup, details, w);
  }

  private static boolean fits(String json) {
    return json.getBytes(StandardCharsets.UTF_8).length <= MAX_TERMINATION_MESSAGE_BYTES;
  }

  /**
   * Parses a termination message.
   *
   * @throws IllegalArgumentException when it is not a StepResult JSON document
   */
  public static StepResult parse(String json) {
    try {
      return Json.MAPPER.readValue(json, StepResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a dbguard step result: " + e.getOriginalMessage(), e);
    }
  }

  /** Builder-style helper to add one detail. */
  public StepResult withDetail(String key, String value) {
    Map<String, String> d = details == null ? new LinkedHashMap<>() : new LinkedHashMap<>(details);
    d.put(key, value);
    return new StepResult(step, exitCode, reason, message, backup, d, writesAfterBackup);
  }

  /** Builder-style helper to add several details (in the map's order; later keys win). */
  public StepResult withDetails(Map<String, String> more) {
    Map<String, String> d = details == null ? new LinkedHashMap<>() : new LinkedHashMap<>(details);
    d.putAll(more);
    return new StepResult(step, exitCode, reason, message, backup, d, writesAfterBackup);
  }

  /**
   * The JSON of {@code r}, untruncated: written field by field when it has no backup, details or
   * writes (byte for byte what the data-binding writer gives for it), else by data binding.
   */
  static String toJson(StepResult r) {
    if (r.backup == null && r.details == null && r.writesAfterBackup == null) {
      return simpleJson(r);
    }
    try {
      return Json.MAPPER.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code {"step":…,"exitCode":…,"reason":…,"message":…}}, null fields left out. */
  private static String simpleJson(StepResult r) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = STREAMING.createGenerator(out)) {
      g.writeStartObject();
      if (r.step != null) {
        g.writeStringField("step", r.step);
      }
      g.writeNumberField("exitCode", r.exitCode);
      if (r.reason != null) {
        g.writeStringField("reason", r.reason);
      }
      if (r.message != null) {
        g.writeStringField("message", r.message);
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
