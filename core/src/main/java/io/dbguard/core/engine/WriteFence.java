package io.dbguard.core.engine;

/**
 * Keeps the application's writers out of the database for the migration window (from before the
 * backup to the end of the run), so that a restore never discards a write the application was told
 * succeeded. {@code dbguard run --write-fence}; docs/migration-window.md has the choices and their
 * limits.
 *
 * <p>Raised once after the analysis and before the backup; lifted once when the run ends with the
 * database known to be good (succeeded, restored, or never changed); held when the database is in a
 * state nobody has checked (restore failed, or left half-migrated by {@code --on-failure halt}),
 * with {@link #liftCommand()} printed for the person who repairs it.
 */
public interface WriteFence {
  /** No fence: the application keeps writing through the window. */
  WriteFence NONE =
      new WriteFence() {
        @Override
        public String describe() {
          return "none";
        }

        @Override
        public String raise() {
          return "no write fence";
        }

        @Override
        public String lift() {
          return "no write fence";
        }

        @Override
        public String liftCommand() {
          return null;
        }
      };

  /** What the fence does, for messages, e.g. {@code ReadOnly (database "shop")}. */
  String describe();

  /**
   * Raises the fence and returns what was done (one line). Idempotent: raising a fence that an
   * earlier, dead run left in place takes it over.
   *
   * @throws DbguardException reason {@code FenceFailed} when it cannot be raised; whatever was
   *     already set is undone first, so the database is as before
   */
  String raise();

  /**
   * Lifts the fence and returns what was done (one line). Idempotent.
   *
   * @throws DbguardException reason {@code FenceFailed} when it cannot be lifted; the message says
   *     what is still in place and {@link #liftCommand()} lifts it
   */
  String lift();

  /** The exact shell command that lifts this fence by hand, or null when there is none. */
  String liftCommand();
}
