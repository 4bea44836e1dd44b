package io.dbguard.core.pipeline;

import io.dbguard.core.backup.BackupManifest;
import io.dbguard.core.engine.FailedCopies;
import io.dbguard.core.engine.WriteFence;
import io.dbguard.core.migrate.MigrationRunner;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Everything a pipeline run needs besides the engine. Fluent setters; defaults: environment {@code
 * production}, backup required, seed policy {@code IfIdempotent}, on failure restore (also when the
 * database received writes after the backup, which are reported), keep the newest 3 failed copies,
 * no analysis, no seed, no acknowledgements.
 */
public final class PipelineOptions {
  /** What to do when the migration, data check or seed fails (docs/design.md §3 "restore"). */
  public enum OnFailure {
    /** Restore from the backup and verify the restore. */
    RESTORE,
    /** Leave the database as the migration left it and report the manual restore command. */
    HALT
  }

  private Path backupDirectory;
  private String databaseName;
  private String environment = "production";
  private boolean backupRequired = true;
  private boolean contentChecksums;
  private MigrationRunner migration;
  private MigrationRunner seed;
  private SeedPolicy seedPolicy = SeedPolicy.IF_IDEMPOTENT;
  private Set<String> acknowledgements = new TreeSet<>();
  private OnFailure onFailure = OnFailure.RESTORE;
  private OnDiscardedWrites onDiscardedWrites = OnDiscardedWrites.RESTORE;
  private int keepFailedCopies = FailedCopies.DEFAULT_KEEP;
  private PreflightAnalysis analysis = PreflightAnalysis.NONE;
  private BackupManifest.Attempt attempt;
  private boolean handleTermination;
  private WriteFence writeFence = WriteFence.NONE;
  private Consumer<PipelineResult> onFinished = r -> {};

  /** Directory for backups and manifests (must exist and be writable). */
  public PipelineOptions backupDirectory(Path v) {
    backupDirectory = v;
    return this;
  }

  /** Logical database name used in backup names; default: the engine's database name. */
  public PipelineOptions databaseName(String v) {
    databaseName = v;
    return this;
  }

  /** Environment name (in backup names and for the analysis), default {@code production}. */
  public PipelineOptions environment(String v) {
    environment = v;
    return this;
  }

  /**
   * When false, a backup that cannot be taken is reported and the run continues without one (then
   * nothing can be restored). Default true.
   */
  public PipelineOptions backupRequired(boolean v) {
    backupRequired = v;
    return this;
  }

  /**
   * When true, the backup's profile carries per-column content checksums and the data-loss check
   * compares values, not only counts ({@code --content-checksum}); every change to an existing
   * column's values must then be acknowledged. Default false (several times the cost of the count
   * scan).
   */
  public PipelineOptions contentChecksums(boolean v) {
    contentChecksums = v;
    return this;
  }

  /** Whether the data-loss check compares content checksums. */
  public boolean contentChecksums() {
    return contentChecksums;
  }

  /** The migration (required). */
  public PipelineOptions migration(MigrationRunner v) {
    migration = v;
    return this;
  }

  /** The seed, or null for none. */
  public PipelineOptions seed(MigrationRunner v) {
    seed = v;
    return this;
  }

  /** When to seed. */
  public PipelineOptions seedPolicy(SeedPolicy v) {
    seedPolicy = v;
    return this;
  }

  /** Data-loss acknowledgements: {@code table} or {@code table.column}. */
  public PipelineOptions acknowledgements(Set<String> v) {
    acknowledgements = new TreeSet<>(v);
    return this;
  }

  /** What to do on failure, default restore. */
  public PipelineOptions onFailure(OnFailure v) {
    onFailure = v;
    return this;
  }

  /**
   * What a due restore does when the database received writes after the backup, default {@link
   * OnDiscardedWrites#RESTORE} (restore and report them).
   */
  public PipelineOptions onDiscardedWrites(OnDiscardedWrites v) {
    onDiscardedWrites = v;
    return this;
  }

  /**
   * How many failed (pre-restore) copies of the database to keep: after a verified restore, older
   * ones beyond this count are deleted ({@link
   * io.dbguard.core.engine.DatabaseEngine#pruneFailedCopies}). Default {@value
   * FailedCopies#DEFAULT_KEEP}.
   *
   * @throws IllegalArgumentException when {@code v} is less than 1
   */
  public PipelineOptions keepFailedCopies(int v) {
    FailedCopies.requireKeep(v);
    keepFailedCopies = v;
    return this;
  }

  /** The analyze-step hook. */
  public PipelineOptions analysis(PreflightAnalysis v) {
    analysis = v;
    return this;
  }

  /** The attempt recorded in the backup manifest. */
  public PipelineOptions attempt(BackupManifest.Attempt v) {
    attempt = v;
    return this;
  }

  /**
   * When true, a JVM shutdown (SIGTERM, SIGINT) during the run stops the migration's process tree,
   * lets the run restore and report through {@link #onFinished}, then halts the JVM with the run's
   * exit code. For CLI use; default false.
   */
  public PipelineOptions handleTermination(boolean v) {
    handleTermination = v;
    return this;
  }

  /**
   * The write fence raised after the analysis and before the backup, and lifted when the run ends
   * with the database known to be good; default {@link WriteFence#NONE}.
   */
  public PipelineOptions writeFence(WriteFence v) {
    writeFence = v == null ? WriteFence.NONE : v;
    return this;
  }

  /** Called once with the result before {@link MigrationPipeline#run()} returns. */
  public PipelineOptions onFinished(Consumer<PipelineResult> v) {
    onFinished = v;
    return this;
  }

  Path backupDirectory() {
    return backupDirectory;
  }

  String databaseName() {
    return databaseName;
  }

  String environment() {
    return environment;
  }

  boolean backupRequired() {
    return backupRequired;
  }

  MigrationRunner migration() {
    return migration;
  }

  MigrationRunner seed() {
    return seed;
  }

  SeedPolicy seedPolicy() {
    return seedPolicy;
  }

  Set<String> acknowledgements() {
    return acknowledgements;
  }

  OnFailure onFailure() {
    return onFailure;
  }

  OnDiscardedWrites onDiscardedWrites() {
    return onDiscardedWrites;
  }

  int keepFailedCopies() {
    return keepFailedCopies;
  }

  PreflightAnalysis analysis() {
    return analysis;
  }

  BackupManifest.Attempt attempt() {
    return attempt;
  }

  boolean handleTermination() {
    return handleTermination;
  }

  WriteFence writeFence() {
    return writeFence;
  }

  Consumer<PipelineResult> onFinished() {
    return onFinished;
  }
}
