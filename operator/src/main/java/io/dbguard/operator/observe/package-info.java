/**
 * The observing layer: reads the cluster (never writes) and builds the immutable {@link
 * io.dbguard.operator.plan.Observation} the planner decides from.
 */
package io.dbguard.operator.observe;
