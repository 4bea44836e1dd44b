package io.dbguard.core.pipeline;

/**
 * When to run the seed (docs/design.md §3 "seed"). A new (or empty) database is always seeded
 * unless the policy is {@link #NEVER}.
 */
public enum SeedPolicy {
  /** Existing database: only when the seed analysis says the seed is idempotent. The default. */
  IF_IDEMPOTENT("IfIdempotent"),
  /** Only a new or empty database. */
  NEW_DATABASE_ONLY("NewDatabaseOnly"),
  /** Every run. */
  ALWAYS("Always"),
  /** Never. */
  NEVER("Never");

  private final String value;

  SeedPolicy(String value) {
    this.value = value;
  }

  /** The PascalCase value users write, e.g. {@code IfIdempotent}. */
  public String value() {
    return value;
  }

  /**
   * Parses {@code IfIdempotent|NewDatabaseOnly|Always|Never} (case-insensitive; also the enum
   * names).
   *
   * @throws IllegalArgumentException for anything else
   */
  public static SeedPolicy parse(String s) {
    for (SeedPolicy p : values()) {
      if (p.value.equalsIgnoreCase(s) || p.name().equalsIgnoreCase(s)) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown seed policy '"
            + s
            + "' (expected IfIdempotent, NewDatabaseOnly, Always or Never)");
  }

  @Override
  public String toString() {
    return value;
  }
}
