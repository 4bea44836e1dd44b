package io.dbguard.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --restore-jobs N} of {@code dbguard restore} and {@code dbguard run}: how many parallel
 * jobs a PostgreSQL swap restore uses ({@code pg_restore --jobs} into the aside database and the
 * sessions that profile it). {@code 0} = auto: the available processors, at most 8.
 */
final class RestoreJobs {
  @Option(
      names = "--restore-jobs",
      paramLabel = "N",
      converter = Count.class,
      description =
          "PostgreSQL swap restore: parallel jobs of pg_restore --jobs into the aside database and"
              + " of the profile that verifies it (one table per session). 0 = auto: the available"
              + " CPUs, at most 8 (default). Ignored by SQLite and the in-place restore.")
  int jobs;

  /** A whole number of at least 0, else a usage error (exit 4) naming the option. */
  static final class Count implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int n;
      try {
        n = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not a whole number");
      }
      if (n < 0) {
        throw new TypeConversionException("must be 0 (auto) or more, not " + n);
      }
      return n;
    }
  }
}
