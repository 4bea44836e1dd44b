package io.dbguard.operator.model;

/** Kinds of workloads a migration can take its container from. */
public enum WorkloadKind {
  /** apps/v1 Deployment. */
  Deployment,
  /** apps/v1 StatefulSet. */
  StatefulSet
}
