package io.dbguard.core.engine;

/**
 * The database engines dbguard protects. Serialized as PascalCase names ({@code PostgreSQL}, {@code
 * SQLite}).
 */
public enum EngineKind {
  POSTGRESQL("PostgreSQL", ".dump"),
  SQLITE("SQLite", ".sqlite3");

  private final String displayName;
  private final String backupExtension;

  EngineKind(String displayName, String backupExtension) {
    this.displayName = displayName;
    this.backupExtension = backupExtension;
  }

  /** The name users see and manifests record, e.g. {@code PostgreSQL}. */
  public String displayName() {
    return displayName;
  }

  /**
   * File extension of a backup taken by this engine, with the dot: {@code .dump} (pg_dump custom
   * format) or {@code .sqlite3}.
   */
  public String backupExtension() {
    return backupExtension;
  }

  /**
   * Parses a display name or enum name, case-insensitively.
   *
   * @throws IllegalArgumentException for an unknown engine
   */
  public static EngineKind parse(String value) {
    for (EngineKind k : values()) {
      if (k.displayName.equalsIgnoreCase(value) || k.name().equalsIgnoreCase(value)) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown engine '" + value + "' (expected PostgreSQL or SQLite)");
  }
}
