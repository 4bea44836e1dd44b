package io.dbguard.core.analysis.seed;

/**
 * The idempotency of one seed file.
 *
 * @param file the file as given
 * @param idempotency the class
 * @param line the line of the statement that decided it (0 when none, e.g. an empty file)
 * @param reason a human sentence naming the deciding statement
 */
public record SeedClassification(String file, Idempotency idempotency, int line, String reason) {

  /** Whether dbguard may run this seed against an existing database under policy IfIdempotent. */
  public boolean safeToRerun() {
    return idempotency == Idempotency.IDEMPOTENT;
  }
}
