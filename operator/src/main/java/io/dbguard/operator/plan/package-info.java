/**
 * The pure decision layer: an immutable {@link io.dbguard.operator.plan.Observation} goes in,
 * {@link io.dbguard.operator.plan.MigrationPlanner#plan} returns one {@link
 * io.dbguard.operator.plan.Plan}. Nothing here talks to Kubernetes; every decision is tested as a
 * table in {@code MigrationPlannerTest}.
 */
package io.dbguard.operator.plan;
