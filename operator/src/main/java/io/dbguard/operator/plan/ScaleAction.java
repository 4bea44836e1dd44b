package io.dbguard.operator.plan;

import io.dbguard.operator.model.WorkloadKind;

/**
 * Set a workload's replica count through its {@code scale} subresource. Setting an absolute count
 * is idempotent: repeating it after an operator restart changes nothing.
 *
 * @param kind Deployment or StatefulSet
 * @param name workload name
 * @param replicas the count to set
 */
public record ScaleAction(WorkloadKind kind, String name, int replicas) {}
