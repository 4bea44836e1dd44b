package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * The write fence of the migration window ({@code status.fence}): written before any workload is
 * scaled, so an operator restart at any moment knows the replica counts to put back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class FenceStatus {

  @JsonPropertyDescription("The fence in force: ScaleToZero or ReadOnly.")
  private WriteFence mode;

  @JsonPropertyDescription("Fencing, Fenced, Lifting, Lifted or Held.")
  private FenceState state;

  @JsonPropertyDescription("Revision of the attempt that set the fence.")
  private String revision;

  @JsonPropertyDescription("The fenced workloads with their replica counts before the fence.")
  private List<FencedWorkload> workloads;

  @JsonPropertyDescription(
      "UTC time a fenced workload was first seen scaled up or running pods during the window (a breach: the application may have written after the backup).")
  private String breachedAt;

  @JsonPropertyDescription("What the fence did last, and how to lift a Held fence.")
  private String message;

  public WriteFence getMode() {
    return mode;
  }

  public void setMode(WriteFence mode) {
    this.mode = mode;
  }

  public FenceState getState() {
    return state;
  }

  public void setState(FenceState state) {
    this.state = state;
  }

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public List<FencedWorkload> getWorkloads() {
    return workloads;
  }

  public void setWorkloads(List<FencedWorkload> workloads) {
    this.workloads = workloads;
  }

  public String getBreachedAt() {
    return breachedAt;
  }

  public void setBreachedAt(String breachedAt) {
    this.breachedAt = breachedAt;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }
}
