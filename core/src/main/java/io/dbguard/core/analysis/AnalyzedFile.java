package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.FileKind;

/**
 * One file the analysis read.
 *
 * @param path as given / as found under a given directory
 * @param kind what it is
 * @param runner {@code flyway}, {@code golang-migrate}, {@code plain}, {@code rails}, {@code
 *     django}, {@code seed}
 * @param dialect {@code postgresql} or {@code sqlite}
 * @param transactional whether the runner wraps the file in one transaction
 * @param sha256 lower-case hex SHA-256 of the bytes (for acknowledgements)
 * @param operations number of operations the front end produced
 */
public record AnalyzedFile(
    String path,
    FileKind kind,
    String runner,
    String dialect,
    boolean transactional,
    String sha256,
    int operations) {}
