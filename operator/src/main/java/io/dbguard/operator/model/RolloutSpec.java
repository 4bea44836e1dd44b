package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** The workloads gated on this migration. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RolloutSpec {

  @JsonPropertyDescription(
      "Workloads whose pod templates carry `dbguard gate --migration <this> --image <image>`.")
  private List<WorkloadRef> workloads;

  public List<WorkloadRef> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<WorkloadRef> workloads) {
    this.workloads = workloads;
  }
}
