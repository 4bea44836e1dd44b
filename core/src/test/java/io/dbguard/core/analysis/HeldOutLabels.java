package io.dbguard.core.analysis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code labels.tsv} and {@code provenance.tsv} of the held-out corpus and checks every
 * labelled file against its recorded SHA-256. Columns are tab-separated with a header line; see the
 * corpus README for their meaning.
 */
final class HeldOutLabels {

  static final Set<String> SEED_CLASSES = Set.of("idempotent", "non-idempotent", "destructive");

  /**
   * One labelled file.
   *
   * @param file path relative to the corpus directory; its first segment is the kind
   * @param label refuse/warn/safe, or a seed class for {@code seeds/}
   * @param reason the labeller's one-line reason
   */
  record Entry(String file, String label, String reason) {
    String kind() {
      return file.substring(0, file.indexOf('/'));
    }

    boolean seed() {
      return kind().equals("seeds");
    }
  }

  private HeldOutLabels() {}

  /**
   * Reads the labels in {@code labelDir} and verifies the files in {@code fileDir}.
   *
   * @throws IllegalStateException when a labelled file is missing, differs from its recorded hash,
   *     has no provenance, or carries a label that is not one of the defined classes
   */
  static List<Entry> read(Path labelDir, Path fileDir) {
    return read(labelDir, fileDir, Set.of());
  }

  /**
   * Like {@link #read(Path, Path)}, but leaves the labelled files named in {@code excluded} out of
   * the result without looking for them: the way to score a rebuilt subset when some files could
   * not be rebuilt. Labels and provenance are not changed; the caller reports how many were left
   * out.
   *
   * @param excluded labelled file paths (the {@code file} column) to leave out; may be empty
   * @return the labelled files not excluded, in the order of {@code labels.tsv}
   * @throws IllegalStateException as {@link #read(Path, Path)} for the files not excluded, and when
   *     an excluded path is not a labelled file (a typo would otherwise go unnoticed)
   */
  static List<Entry> read(Path labelDir, Path fileDir, Set<String> excluded) {
    Map<String, String> sha = new HashMap<>();
    for (String[] row : rows(labelDir.resolve("provenance.tsv"), 6)) {
      sha.put(row[0], row[5]);
    }
    List<Entry> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Set<String> unknownExclusions = new TreeSet<>(excluded);
    for (String[] row : rows(labelDir.resolve("labels.tsv"), 3)) {
      Entry e = new Entry(row[0], row[1], row[2]);
      if (unknownExclusions.remove(e.file())) {
        continue;
      }
      boolean validLabel =
          e.seed()
              ? SEED_CLASSES.contains(e.label())
              : Set.of("refuse", "warn", "safe").contains(e.label());
      Path f = fileDir.resolve(e.file());
      if (!validLabel) {
        problems.add(e.file() + ": label '" + e.label() + "' is not defined for its kind");
      } else if (!Files.isRegularFile(f)) {
        problems.add(e.file() + ": missing in " + fileDir);
      } else if (!sha.containsKey(e.file())) {
        problems.add(e.file() + ": no provenance line");
      } else if (!sha.get(e.file()).equals(sha256(f))) {
        problems.add(e.file() + ": content differs from the recorded sha256");
      }
      out.add(e);
    }
    for (String x : unknownExclusions) {
      problems.add(x + ": excluded, but not a labelled file");
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "held-out corpus is not intact ("
              + problems.size()
              + "):\n  "
              + String.join("\n  ", problems));
    }
    return out;
  }

  private static List<String[]> rows(Path tsv, int columns) {
    try {
      List<String> lines = Files.readAllLines(tsv);
      List<String[]> out = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        if (line.isBlank()) {
          continue;
        }
        String[] cols = line.split("\t", -1);
        if (cols.length != columns) {
          throw new IllegalStateException(tsv + ": expected " + columns + " columns in: " + line);
        }
        out.add(cols);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String sha256(Path f) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
