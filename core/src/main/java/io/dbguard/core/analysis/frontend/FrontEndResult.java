package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.Suppression;
import java.util.List;

/**
 * What a front end returns for one file.
 *
 * @param operations in source order
 * @param suppressions in-file suppressions
 * @param wrappedInTransaction whether the runner executes the file in one transaction
 */
public record FrontEndResult(
    List<Operation> operations, List<Suppression> suppressions, boolean wrappedInTransaction) {}
