package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A container of a Deployment or StatefulSet in the same namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadRef {

  @JsonPropertyDescription("Deployment or StatefulSet.")
  @Required
  private WorkloadKind kind;

  @JsonPropertyDescription("Workload name.")
  @Required
  private String name;

  @JsonPropertyDescription("Container name; defaults to the first container.")
  private String container;

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

  public String getContainer() {
    return container;
  }

  public void setContainer(String container) {
    this.container = container;
  }
}
