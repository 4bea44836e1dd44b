package io.dbguard.core.analysis.model;

import java.util.List;

/**
 * The output of a front end for one file.
 *
 * @param path the path as given/displayed (relative paths stay relative)
 * @param kind what the file is
 * @param dialect {@code postgresql} or {@code sqlite} (for framework files: {@code postgresql})
 * @param runner who applies the file: {@code flyway}, {@code golang-migrate}, {@code rails}, {@code
 *     django}, {@code plain}, {@code seed}
 * @param wrappedInTransaction whether the runner executes the whole file in one transaction
 * @param operations in source order
 * @param suppressions in-file suppressions
 * @param sha256 lower-case hex SHA-256 of the file bytes
 */
public record ParsedFile(
    String path,
    FileKind kind,
    String dialect,
    String runner,
    boolean wrappedInTransaction,
    List<Operation> operations,
    List<Suppression> suppressions,
    String sha256) {}
