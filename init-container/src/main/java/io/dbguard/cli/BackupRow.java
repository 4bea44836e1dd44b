package io.dbguard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * One DatabaseBackup as {@code dbguard kubectl} shows it. Facts are read from {@code status} and,
 * for records written by older operator versions, from the deprecated {@code spec} fields; a record
 * without {@code status.state} reads as {@code Ready} (older versions recorded verified backups
 * only), as the operator reads it.
 *
 * @param namespace its namespace
 * @param name its name
 * @param database {@code spec.database}
 * @param migration {@code spec.migration} (the DatabaseMigration that took it), or null
 * @param revision {@code spec.revision} of the attempt it protects, or null
 * @param method {@code spec.method}: {@code Dump} (also when absent) or {@code VolumeSnapshot}
 * @param sizeBytes size of the dump in bytes, or null (a snapshot, or not recorded)
 * @param verified whether the backup step verified it
 * @param pinned {@code spec.pinned}: retention never deletes it
 * @param state {@code Ready}, {@code Pruned}, {@code Missing} or {@code Failed}
 * @param message {@code status.message} (why Missing, Failed or Pruned), or null
 * @param created {@code metadata.creationTimestamp}, or null
 */
record BackupRow(
    String namespace,
    String name,
    String database,
    String migration,
    String revision,
    String method,
    Long sizeBytes,
    boolean verified,
    boolean pinned,
    String state,
    String message,
    Instant created) {

  /** Reads a DatabaseBackup JSON tree (as the API server returns it). Never throws. */
  static BackupRow of(JsonNode b) {
    JsonNode meta = b.path("metadata");
    JsonNode spec = b.path("spec");
    JsonNode st = b.path("status");
    JsonNode size = st.hasNonNull("sizeBytes") ? st.get("sizeBytes") : spec.get("sizeBytes");
    JsonNode verified = st.hasNonNull("verified") ? st.get("verified") : spec.get("verified");
    return new BackupRow(
        meta.path("namespace").asText(null),
        meta.path("name").asText(null),
        spec.path("database").asText(null),
        spec.path("migration").asText(null),
        spec.path("revision").asText(null),
        spec.path("method").asText("Dump"),
        size == null || size.isNull() ? null : size.asLong(),
        verified != null && verified.asBoolean(false),
        spec.path("pinned").asBoolean(false),
        st.path("state").asText("Ready"),
        st.path("message").asText(null),
        instant(meta.path("creationTimestamp").asText(null)));
  }

  /** An ISO-8601 UTC time, or null when absent or unreadable. */
  static Instant instant(String s) {
    if (s == null || s.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
