package io.dbguard.core.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(
    String step,
    int exitCode,
    String reason,
    String message,
    BackupRef backup,
    Map<String, String> details) {

  /** Kubelet's limit for termination messages, in bytes. */
  public static final int MAX_TERMINATION_MESSAGE_BYTES = 4096;

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

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
   * Serializes to JSON of at most {@link #MAX_TERMINATION_MESSAGE_BYTES} bytes: when too long, the
   * details are dropped first, then the message is shortened (marked with {@code …}).
   */
  public String toTerminationMessage() {
    String json = toJson(this);
    if (json.getBytes(StandardCharsets.UTF_8).length <= MAX_TERMINATION_MESSAGE_BYTES) {
      return json;
    }
    StepResult smaller =
        new StepResult(
            step,
            exitCode,
            reason,
            message,
            backup,
            Map.of("truncated", "details dropped to fit the 4096-byte termination message"));
    json = toJson(smaller);
    int cut = message == null ? 0 : message.length();
    while (json.getBytes(StandardCharsets.UTF_8).length > MAX_TERMINATION_MESSAGE_BYTES
        && cut > 0) {
      cut = cut / 2;
      smaller =
          new StepResult(
              step, exitCode, reason, message.substring(0, cut) + "…", backup, smaller.details());
      json = toJson(smaller);
    }
    return json;
  }

  /**
   * Parses a termination message.
   *
   * @throws IllegalArgumentException when it is not a StepResult JSON document
   */
  public static StepResult parse(String json) {
    try {
      return JSON.readValue(json, StepResult.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a dbguard step result: " + e.getOriginalMessage(), e);
    }
  }

  /** Builder-style helper to add one detail. */
  public StepResult withDetail(String key, String value) {
    Map<String, String> d = details == null ? new LinkedHashMap<>() : new LinkedHashMap<>(details);
    d.put(key, value);
    return new StepResult(step, exitCode, reason, message, backup, d);
  }

  private static String toJson(StepResult r) {
    try {
      return JSON.writeValueAsString(r);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
