package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** One workload of the write fence and the replica count it had before the fence. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FencedWorkload {

  @JsonPropertyDescription("Deployment or StatefulSet.")
  private WorkloadKind kind;

  @JsonPropertyDescription("Workload name.")
  private String name;

  @JsonPropertyDescription(
      "spec.replicas before the fence, recorded before it was scaled to 0 and put back after the attempt; absent when the workload did not exist.")
  private Integer replicas;

  public FencedWorkload() {}

  public FencedWorkload(WorkloadKind kind, String name, Integer replicas) {
    this.kind = kind;
    this.name = name;
    this.replicas = replicas;
  }

  public WorkloadKind getKind() {
    return kind;
  }

  public void setKind(WorkloadKind kind) {
    this.kind = kind;
  }

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Integer getReplicas() {
    return replicas;
  }

  public void setReplicas(Integer replicas) {
    this.replicas = replicas;
  }
}
