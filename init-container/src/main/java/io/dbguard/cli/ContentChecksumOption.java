package io.dbguard.cli;

import picocli.CommandLine.Option;

/**
 * {@code --content-checksum} of {@code dbguard backup} and {@code dbguard run}: the backup's
 * profile carries a checksum of every column's values, and the data-loss check against that backup
 * then compares values, not only counts (docs/cli.md, "What the data-loss check cannot see").
 */
final class ContentChecksumOption {
  @Option(
      names = "--content-checksum",
      description =
          "Record a checksum of every column's values in the backup's profile, so that the"
              + " data-loss check against this backup also finds values overwritten in place and"
              + " rows replaced by as many others (finding VALUES_CHANGED; acknowledge a column"
              + " the migration means to rewrite). Costs several times the count scan.")
  boolean enabled;
}
