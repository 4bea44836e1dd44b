/**
 * The acting layer: {@link io.dbguard.operator.act.StatusRecorder} writes the plan's intent to
 * status first (write-ahead), {@link io.dbguard.operator.act.JobLauncher} then creates the Job
 * built by {@link io.dbguard.operator.act.JobFactory} (create-if-absent by deterministic name),
 * {@link io.dbguard.operator.act.EventRecorder} reports phase changes as Kubernetes Events.
 */
package io.dbguard.operator.act;
