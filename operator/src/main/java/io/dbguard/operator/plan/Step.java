package io.dbguard.operator.plan;

import io.dbguard.operator.model.Phase;
import java.util.Locale;

/** The steps of one migration attempt, each run as one Job (docs/design.md §3). */
public enum Step {
  /**
   * {@code spec.approval}: {@code dbguard plan} (read-only) before anything else; its summary goes
   * to {@code status.plan} and, with mode Manual, the attempt then waits for approval ({@link
   * ApprovalPlanner}).
   */
  PLAN("Plan", Phase.Planning),
  ANALYZE("Analyze", Phase.Analyzing),
  BACKUP("Backup", Phase.BackingUp),
  /**
   * {@code backup.method: VolumeSnapshot} with {@code backup.verify}: check the ready snapshot
   * through a claim provisioned from it, before the migration.
   */
  SNAPSHOT_CHECK("SnapshotCheck", Phase.BackingUp),
  MIGRATE("Migrate", Phase.Migrating),
  VERIFY("Verify", Phase.Verifying),
  SEED("Seed", Phase.Seeding),
  RESTORE("Restore", Phase.Restoring),
  /**
   * {@code writeFence: ReadOnly}: raise the read-only fence before the backup ({@code dbguard fence
   * raise}). Launched by {@link WriteFencePlanner}, never as the attempt's current step.
   */
  FENCE("Fence", Phase.BackingUp),
  /**
   * {@code writeFence: ReadOnly}: lift the fence after the attempt ({@code dbguard fence lift}).
   */
  UNFENCE("Unfence", Phase.BackingUp);

  private final String label;
  private final Phase phase;

  Step(String label, Phase phase) {
    this.label = label;
    this.phase = phase;
  }

  /** PascalCase name shown in {@code status.current.step}, e.g. {@code Backup}. */
  public String label() {
    return label;
  }

  /**
   * Lowercase name used in Job names and the {@code dbguard.io/step} label, e.g. {@code backup},
   * {@code snapshotcheck}.
   */
  public String id() {
    return label.toLowerCase(Locale.ROOT);
  }

  /** The phase the migration is in while this step runs. */
  public Phase phase() {
    return phase;
  }

  /**
   * The step for a label or id ({@code Backup} or {@code backup}).
   *
   * @throws IllegalArgumentException for an unknown name
   */
  public static Step of(String name) {
    for (Step s : values()) {
      if (s.label.equals(name) || s.id().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown step: " + name);
  }

  /** Whether the step runs the application's image (migrate without the SQL runner, seed). */
  public boolean isApp() {
    return this == MIGRATE || this == SEED;
  }

  /** Whether the database may have been changed once this step has started. */
  public boolean touchesDatabase() {
    return this == MIGRATE || this == VERIFY || this == SEED || this == RESTORE;
  }
}
