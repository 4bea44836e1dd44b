package io.dbguard.core.backup;

import io.dbguard.core.engine.DbguardException;
import io.dbguard.core.engine.EngineKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Which database a backup was taken from, and whether a backup belongs to a given database. The
 * identity is the manifest's {@link BackupManifest#database()} map (no credentials):
 *
 * <ul>
 *   <li>PostgreSQL: {@code host}, {@code port}, {@code database} (name), {@code user}, and since
 *       this identity was introduced {@code systemIdentifier} (the cluster's {@code
 *       system_identifier} from {@code pg_control_system()}, PostgreSQL manual "System Information
 *       Functions": unique per cluster, set by initdb and kept by physical copies) and {@code
 *       databaseOid} (informational: a swap restore creates a new database, so the OID changes).
 *   <li>SQLite: {@code path} (the canonical absolute path, symbolic links resolved) and {@code
 *       applicationId} ({@code PRAGMA application_id}, informational).
 * </ul>
 *
 * <p>Matching ({@link #sameDatabase}): the engine must be equal; SQLite: the canonical paths are
 * equal; PostgreSQL: when both sides carry a {@code systemIdentifier}, it and the database name
 * must be equal (host names and ports may differ: the same server reached another way); otherwise
 * (a manifest written before identities were recorded) host, port and database name must all be
 * equal. The schema fingerprint is deliberately not part of the identity: a migration changes it,
 * and restoring a pre-migration backup is the point.
 */
public final class DatabaseIdentity {
  /** Manifest key of the engine name ({@code PostgreSQL} or {@code SQLite}). */
  public static final String ENGINE = "engine";

  /** Manifest key of the PostgreSQL cluster's {@code system_identifier} (decimal). */
  public static final String SYSTEM_IDENTIFIER = "systemIdentifier";

  /** Manifest key of the PostgreSQL database OID (decimal) at backup time. */
  public static final String DATABASE_OID = "databaseOid";

  /** Manifest key of the SQLite {@code PRAGMA application_id} (decimal). */
  public static final String APPLICATION_ID = "applicationId";

  private DatabaseIdentity() {}

  /**
   * Whether the backup described by {@code manifest} was taken from the database identified by
   * {@code live} (an engine's {@link io.dbguard.core.engine.DatabaseEngine#identity()}).
   */
  public static boolean sameDatabase(BackupManifest manifest, Map<String, String> live) {
    Map<String, String> m = manifest.database() == null ? Map.of() : manifest.database();
    String liveEngine = live.get(ENGINE);
    if (manifest.engine() != null && liveEngine != null && !manifest.engine().equals(liveEngine)) {
      return false;
    }
    if (EngineKind.SQLITE.displayName().equals(liveEngine)) {
      return m.get("path") != null
          && live.get("path") != null
          && canonical(m.get("path")).equals(canonical(live.get("path")));
    }
    if (!Objects.equals(m.get("database"), live.get("database"))) {
      return false;
    }
    if (m.get(SYSTEM_IDENTIFIER) != null && live.get(SYSTEM_IDENTIFIER) != null) {
      return m.get(SYSTEM_IDENTIFIER).equals(live.get(SYSTEM_IDENTIFIER));
    }
    return Objects.equals(m.get("host"), live.get("host"))
        && Objects.equals(m.get("port"), live.get("port"));
  }

  /**
   * A key equal for all backups of one database, to group a directory's backups (retention): {@code
   * PostgreSQL host:port/database} or {@code SQLite <canonical path>}.
   */
  public static String groupKey(BackupManifest manifest) {
    Map<String, String> m = manifest.database() == null ? Map.of() : manifest.database();
    if (m.get("path") != null) {
      return "SQLite " + canonical(m.get("path"));
    }
    return manifest.engine() + " " + m.get("host") + ":" + m.get("port") + "/" + m.get("database");
  }

  /** One line naming the database, e.g. {@code PostgreSQL shop on db:5432 (system 7301…)}. */
  public static String describe(String engine, Map<String, String> id) {
    if (id == null) {
      return engine + " (no identity recorded)";
    }
    if (id.get("path") != null) {
      return "SQLite " + id.get("path");
    }
    return engine
        + " database "
        + id.get("database")
        + " on "
        + id.get("host")
        + ":"
        + id.get("port")
        + (id.get(SYSTEM_IDENTIFIER) == null
            ? ""
            : " (system identifier " + id.get(SYSTEM_IDENTIFIER) + ")");
  }

  /**
   * Refuses a backup of another database.
   *
   * @param force true for a deliberate cross-database use ({@code --force-other-database})
   * @throws DbguardException reason {@code BackupOfOtherDatabase} naming both databases
   */
  public static void requireSameDatabase(
      BackupManifest manifest, Map<String, String> live, String action, boolean force) {
    if (force || sameDatabase(manifest, live)) {
      return;
    }
    throw new DbguardException(
        "BackupOfOtherDatabase",
        "refusing to "
            + action
            + ": backup "
            + manifest.name()
            + " was taken from "
            + describe(manifest.engine(), manifest.database())
            + ", not from "
            + describe(live.get(ENGINE), live)
            + ". Choose a backup of this database, or pass --force-other-database to use it"
            + " deliberately");
  }

  /** The canonical form of a SQLite path: symbolic links resolved when the file exists. */
  public static String canonical(String path) {
    Path p = Path.of(path).toAbsolutePath().normalize();
    try {
      return p.toRealPath().toString();
    } catch (IOException e) {
      Path parent = p.getParent();
      try {
        return parent == null
            ? p.toString()
            : parent.toRealPath().resolve(p.getFileName()).toString();
      } catch (IOException e2) {
        return p.toString();
      }
    }
  }
}
