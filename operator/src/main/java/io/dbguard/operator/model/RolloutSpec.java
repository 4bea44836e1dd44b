package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The workloads gated on this migration, and how their writers are fenced during it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {

  @JsonPropertyDescription(
      "Workloads whose pod templates carry `dbguard gate --migration <this> --image <image>`.")
  private List<WorkloadRef> workloads;

  @JsonPropertyDescription(
      "How the workloads' writers are kept out of the database from the backup until the attempt has ended: ScaleToZero (default when unset: each workload is scaled to 0 before the backup and its replica count put back afterwards; downtime for the window, nothing written that a restore could discard) ReadOnly (PostgreSQL only: the database refuses writes from every role but the migration's own from before the backup until the attempt has ended, the application keeps serving reads; it must connect as another role) or None (the application keeps serving and writing; a restore discards its writes after the backup). See docs/migration-window.md.")
  private WriteFence writeFence;

  public List<WorkloadRef> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<WorkloadRef> workloads) {
    this.workloads = workloads;
  }

  public WriteFence getWriteFence() {
    return writeFence;
  }

  public void setWriteFence(WriteFence writeFence) {
    this.writeFence = writeFence;
  }
}
