package io.dbguard.core.plan;

import io.dbguard.core.analysis.rules.Verdict;

/**
 * Something the plan says besides the analysis findings, with the level it counts as for the exit
 * code (as {@code --fail-on} reads finding levels).
 *
 * @param level {@link Verdict#WARN} when part of the plan could not be determined (pending
 *     migrations unknown, a pending file not found, an absent SQLite file created by the listing)
 *     or {@code run} is expected to fail (tables but no Flyway history); {@link Verdict#NOTICE} for
 *     role privileges, Alembic files not analysed and an acknowledged dangerous command
 * @param topic {@code pending}, {@code history}, {@code role} or {@code command}
 * @param text one or two sentences
 */
public record PlanNotice(Verdict level, String topic, String text) {}
