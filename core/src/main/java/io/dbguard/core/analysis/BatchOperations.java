package io.dbguard.core.analysis;

import io.dbguard.core.analysis.model.Operation;
import io.dbguard.core.analysis.model.ParsedFile;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** The operations of a batch of migration files, read across file boundaries. */
final class BatchOperations {

  private BatchOperations() {}

  /**
   * The operations after operation {@code oi} of file {@code fi}, in batch order: the rest of that
   * file, then every operation of each later file. A view, not a copy: nothing is allocated per
   * operation.
   */
  static Iterable<Operation> after(List<ParsedFile> files, int fi, int oi) {
    return () ->
        new Iterator<>() {
          private int file = fi;
          private int next = oi + 1;

          @Override
          public boolean hasNext() {
            while (file < files.size() && next >= files.get(file).operations().size()) {
              file++;
              next = 0;
            }
            return file < files.size();
          }

          @Override
          public Operation next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return files.get(file).operations().get(next++);
          }
        };
  }
}
