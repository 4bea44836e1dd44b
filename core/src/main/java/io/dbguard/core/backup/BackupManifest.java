package io.dbguard.core.backup;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.WriteHorizon;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON document written beside every backup as {@code <name>.manifest.json} (mode 0600). It is
 * the source of truth for verification, the data-loss check, restore verification and retention
 * ordering (by {@link #completedAt}, never by file name). Read and written by {@link
 * ManifestStore}.
 *
 * @param formatVersion manifest schema version, currently 1
 * @param name backup name without extension, {@code <database>_<environment>_<YYYYMMDD>_<HHMMSS>}
 * @param file backup file name (relative to the manifest's directory)
 * @param engine {@code PostgreSQL} or {@code SQLite}
 * @param serverVersion server version string (PostgreSQL {@code server_version}; SQLite library
 *     version)
 * @param toolVersions tool name to version, e.g. {@code pg_dump -> 15.18}, {@code sqlite-jdbc ->
 *     3.54.1.0}
 * @param database identity of the database, without credentials: host, port, database name or file
 *     path
 * @param environment environment name, e.g. {@code production}
 * @param startedAt UTC time the backup started
 * @param completedAt UTC time the backup file was complete and synced
 * @param verifiedAt UTC time verification passed; {@code null} if never verified
 * @param sizeBytes file size in bytes
 * @param sha256 lowercase hex SHA-256 of the file
 * @param compression how the backup is compressed, e.g. {@code gzip:1}, {@code none}
 * @param profile row counts, non-null counts, schema fingerprint and history version, taken in the
 *     same snapshot as the backup
 * @param attempt the migration attempt it protects; may be {@code null}
 * @param pinned pinned backups are never deleted by retention
 * @param writeHorizon what lets a later restore count the writes made after this backup ({@link
 *     io.dbguard.core.engine.WritesAfterBackup}); {@code null} in manifests written before dbguard
 *     recorded it (then those writes are reported as unknown)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupManifest(
    int formatVersion,
    String name,
    String file,
    String engine,
    String serverVersion,
    Map<String, String> toolVersions,
    Map<String, String> database,
    String environment,
    Instant startedAt,
    Instant completedAt,
    Instant verifiedAt,
    long sizeBytes,
    String sha256,
    String compression,
    DataProfile profile,
    Attempt attempt,
    boolean pinned,
    WriteHorizon writeHorizon) {

  /** The canonical constructor, the one JSON reading uses. */
  @JsonCreator
  public BackupManifest {}

  /** A manifest without a write horizon (as written before dbguard recorded one). */
  public BackupManifest(
      int formatVersion,
      String name,
      String file,
      String engine,
      String serverVersion,
      Map<String, String> toolVersions,
      Map<String, String> database,
      String environment,
      Instant startedAt,
      Instant completedAt,
      Instant verifiedAt,
      long sizeBytes,
      String sha256,
      String compression,
      DataProfile profile,
      Attempt attempt,
      boolean pinned) {
    this(
        formatVersion,
        name,
        file,
        engine,
        serverVersion,
        toolVersions,
        database,
        environment,
        startedAt,
        completedAt,
        verifiedAt,
        sizeBytes,
        sha256,
        compression,
        profile,
        attempt,
        pinned,
        null);
  }

  /** Current manifest format version. */
  public static final int FORMAT_VERSION = 1;

  /**
   * The migration attempt a backup protects.
   *
   * @param image application image the migration ran from (e.g. {@code shop:v2}); may be null
   * @param revision dbguard revision of the DatabaseMigration spec (8+ hex chars); may be null
   * @param migration {@code namespace/name} of the DatabaseMigration, or null for the CLI
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Attempt(String image, String revision, String migration) {}

  /** True when verification passed. */
  public boolean verified() {
    return verifiedAt != null;
  }

  /** A copy with {@code verifiedAt} set. */
  public BackupManifest withVerifiedAt(Instant at) {
    return new BackupManifest(
        formatVersion,
        name,
        file,
        engine,
        serverVersion,
        toolVersions,
        database,
        environment,
        startedAt,
        completedAt,
        at,
        sizeBytes,
        sha256,
        compression,
        profile,
        attempt,
        pinned,
        writeHorizon);
  }

  /** A copy with {@code pinned} set. */
  public BackupManifest withPinned(boolean value) {
    return new BackupManifest(
        formatVersion,
        name,
        file,
        engine,
        serverVersion,
        toolVersions,
        database,
        environment,
        startedAt,
        completedAt,
        verifiedAt,
        sizeBytes,
        sha256,
        compression,
        profile,
        attempt,
        value,
        writeHorizon);
  }

  /** A copy with {@code writeHorizon} set ({@code null} removes it). */
  public BackupManifest withWriteHorizon(WriteHorizon value) {
    return new BackupManifest(
        formatVersion,
        name,
        file,
        engine,
        serverVersion,
        toolVersions,
        database,
        environment,
        startedAt,
        completedAt,
        verifiedAt,
        sizeBytes,
        sha256,
        compression,
        profile,
        attempt,
        pinned,
        value);
  }

  /**
   * A copy describing different bytes: {@code sizeBytes} (bytes) and {@code sha256} (lowercase hex
   * of the backup file's SHA-256) replaced, every other field kept, {@code pinned} and {@code
   * writeHorizon} included.
   */
  public BackupManifest withSizeAndSha256(long bytes, String sha256Hex) {
    return new BackupManifest(
        formatVersion,
        name,
        file,
        engine,
        serverVersion,
        toolVersions,
        database,
        environment,
        startedAt,
        completedAt,
        verifiedAt,
        bytes,
        sha256Hex,
        compression,
        profile,
        attempt,
        pinned,
        writeHorizon);
  }
}
