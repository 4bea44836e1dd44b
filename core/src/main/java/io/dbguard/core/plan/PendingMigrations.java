package io.dbguard.core.plan;

import java.util.List;

/**
 * What is pending and how that was found out.
 *
 * @param source {@code flyway}, {@code django}, {@code rails}, {@code prisma}, {@code alembic}, or
 *     {@code unknown} when the migration command is not one dbguard recognises and no {@code
 *     --plan-command} was given
 * @param listingCommand the read-only command that listed them (secrets redacted), or for Flyway a
 *     description of the history read; null for {@code unknown}
 * @param migrations in the order they would be applied; empty for {@code unknown}
 * @param known false when the pending migrations could not be determined ({@code unknown})
 */
public record PendingMigrations(
    String source, String listingCommand, List<PendingMigration> migrations, boolean known) {
  public PendingMigrations {
    migrations = List.copyOf(migrations);
  }

  /** Nothing could be listed: the command is not recognised. */
  public static PendingMigrations unknown() {
    return new PendingMigrations("unknown", null, List.of(), false);
  }

  /** The files found for the pending migrations, in order. */
  public List<java.nio.file.Path> files() {
    return migrations.stream().map(PendingMigration::file).filter(f -> f != null).toList();
  }
}
