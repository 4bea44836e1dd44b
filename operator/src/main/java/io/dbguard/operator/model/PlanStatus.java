package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/**
 * {@code status.plan}: a bounded summary of the plan Job's result ({@code dbguard plan}) for the
 * current attempt, and where its approval stands. Lists and texts are capped ({@code
 * PlanRecorder}), so the status stays small whatever the plan printed.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PlanStatus {

  @JsonPropertyDescription(
      "Revision (8 hex) the plan was made for; an approval must name exactly this value.")
  private String revision;

  @JsonPropertyDescription("Name of the plan Job (<cr>-plan-<revision>).")
  private String job;

  @JsonPropertyDescription(
      "Exit code of `dbguard plan`: 0 planned, 1 warnings, 2 `run` would be refused, 3 and above the plan failed.")
  private Integer exitCode;

  @JsonPropertyDescription(
      "Reason the plan reported: Planned, PlanWarnings, Blocked or PlanFailed.")
  private String outcome;

  @JsonPropertyDescription("The plan's one-paragraph summary (at most 1000 characters).")
  private String summary;

  @JsonPropertyDescription(
      "Where the pending migrations were read: flyway, django, rails, prisma, alembic or unknown.")
  private String pendingSource;

  @JsonPropertyDescription("Number of pending migrations; absent when they are unknown.")
  private Integer pendingCount;

  @JsonPropertyDescription(
      "Names of the pending migrations in order: at most the first 20, each at most 120 characters (pendingCount has the total).")
  private List<String> pending;

  @JsonPropertyDescription("Unacknowledged refuse findings in the pending migrations.")
  private Integer findingsRefused;

  @JsonPropertyDescription("Warn findings in the pending migrations.")
  private Integer findingsWarn;

  @JsonPropertyDescription("Notice findings in the pending migrations.")
  private Integer findingsNotice;

  @JsonPropertyDescription("Acknowledged findings in the pending migrations.")
  private Integer findingsAcknowledged;

  @JsonPropertyDescription("Size of the database, bytes.")
  private Long databaseSizeBytes;

  @JsonPropertyDescription(
      "Estimated backup time, whole seconds rounded up (size divided by dbguard's measured rate; docs/cli.md#dbguard-plan).")
  private Long estimatedBackupSeconds;

  @JsonPropertyDescription("Estimated restore time, whole seconds rounded up.")
  private Long estimatedRestoreSeconds;

  @JsonPropertyDescription(
      "Notices about the database role's privileges (superuser, owner of the tables, can DROP/TRUNCATE): at most 5, each at most 300 characters.")
  private List<String> roleWarnings;

  @JsonPropertyDescription("Waiting, Approved, Automatic or TimedOut.")
  private ApprovalState approval;

  @JsonPropertyDescription(
      "UTC time the attempt started waiting for approval; maxWaitSeconds counts from here.")
  private String awaitingSince;

  @JsonPropertyDescription("UTC time the approval for this revision was seen.")
  private String approvedAt;

  @JsonPropertyDescription(
      "The latest dbguard.io/approve value that named another revision and was ignored (at most 63 characters).")
  private String ignoredApproval;

  public String getRevision() {
    return revision;
  }

  public void setRevision(String revision) {
    this.revision = revision;
  }

  public String getJob() {
    return job;
  }

  public void setJob(String job) {
    this.job = job;
  }

  public Integer getExitCode() {
    return exitCode;
  }

  public void setExitCode(Integer exitCode) {
    this.exitCode = exitCode;
  }

  public String getOutcome() {
    return outcome;
  }

  public void setOutcome(String outcome) {
    this.outcome = outcome;
  }

  public String getSummary() {
    return summary;
  }

  public void setSummary(String summary) {
    this.summary = summary;
  }

  public String getPendingSource() {
    return pendingSource;
  }

  public void setPendingSource(String pendingSource) {
    this.pendingSource = pendingSource;
  }

  public Integer getPendingCount() {
    return pendingCount;
  }

  public void setPendingCount(Integer pendingCount) {
    this.pendingCount = pendingCount;
  }

  public List<String> getPending() {
    return pending;
  }

  public void setPending(List<String> pending) {
    this.pending = pending;
  }

  public Integer getFindingsRefused() {
    return findingsRefused;
  }

  public void setFindingsRefused(Integer findingsRefused) {
    this.findingsRefused = findingsRefused;
  }

  public Integer getFindingsWarn() {
    return findingsWarn;
  }

  public void setFindingsWarn(Integer findingsWarn) {
    this.findingsWarn = findingsWarn;
  }

  public Integer getFindingsNotice() {
    return findingsNotice;
  }

  public void setFindingsNotice(Integer findingsNotice) {
    this.findingsNotice = findingsNotice;
  }

  public Integer getFindingsAcknowledged() {
    return findingsAcknowledged;
  }

  public void setFindingsAcknowledged(Integer findingsAcknowledged) {
    this.findingsAcknowledged = findingsAcknowledged;
  }

  public Long getDatabaseSizeBytes() {
    return databaseSizeBytes;
  }

  public void setDatabaseSizeBytes(Long databaseSizeBytes) {
    this.databaseSizeBytes = databaseSizeBytes;
  }

  public Long getEstimatedBackupSeconds() {
    return estimatedBackupSeconds;
  }

  public void setEstimatedBackupSeconds(Long estimatedBackupSeconds) {
    this.estimatedBackupSeconds = estimatedBackupSeconds;
  }

  public Long getEstimatedRestoreSeconds() {
    return estimatedRestoreSeconds;
  }

  public void setEstimatedRestoreSeconds(Long estimatedRestoreSeconds) {
    this.estimatedRestoreSeconds = estimatedRestoreSeconds;
  }

  public List<String> getRoleWarnings() {
    return roleWarnings;
  }

  public void setRoleWarnings(List<String> roleWarnings) {
    this.roleWarnings = roleWarnings;
  }

  public ApprovalState getApproval() {
    return approval;
  }

  public void setApproval(ApprovalState approval) {
    this.approval = approval;
  }

  public String getAwaitingSince() {
    return awaitingSince;
  }

  public void setAwaitingSince(String awaitingSince) {
    this.awaitingSince = awaitingSince;
  }

  public String getApprovedAt() {
    return approvedAt;
  }

  public void setApprovedAt(String approvedAt) {
    this.approvedAt = approvedAt;
  }

  public String getIgnoredApproval() {
    return ignoredApproval;
  }

  public void setIgnoredApproval(String ignoredApproval) {
    this.ignoredApproval = ignoredApproval;
  }
}
