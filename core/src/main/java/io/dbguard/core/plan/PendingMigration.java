package io.dbguard.core.plan;

import java.nio.file.Path;

/**
 * One migration that has not been applied yet, as the plan lists it.
 *
 * @param id the framework's name for it: Flyway {@code V3}, Django {@code shop.0002_add_phone},
 *     Rails {@code 20261122101500}, Prisma {@code 20261122101500_add_phone}, Alembic {@code
 *     ae1027a6acf}
 * @param description a human description (Flyway description, Rails migration name, Alembic
 *     message), or empty when the listing gives none
 * @param file the migration's file when it was found, or null (then it is not analysed)
 */
public record PendingMigration(String id, String description, Path file) {
  public PendingMigration {
    description = description == null ? "" : description;
  }

  /** This migration with its file. */
  public PendingMigration withFile(Path f) {
    return new PendingMigration(id, description, f);
  }
}
