package io.dbguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders what {@code dbguard kubectl} prints: short text for people (tables in kubectl's style:
 * upper-case headers, columns separated by three spaces, ages like {@code 5m} or {@code 2d}) and
 * JSON documents for {@code -o json}. Pure: the time "now" is a parameter.
 */
final class KubectlText {
  static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private KubectlText() {}

  /** The backups table: NAME, DATABASE, METHOD, SIZE, VERIFIED, PINNED, STATE, AGE. */
  static String backupsTable(List<BackupRow> rows, boolean withNamespace, Instant now) {
    List<String[]> lines = new ArrayList<>();
    List<String> header =
        new ArrayList<>(
            List.of("NAME", "DATABASE", "METHOD", "SIZE", "VERIFIED", "PINNED", "STATE", "AGE"));
    if (withNamespace) {
      header.add(0, "NAMESPACE");
    }
    lines.add(header.toArray(String[]::new));
    for (BackupRow r : rows) {
      List<String> cells =
          new ArrayList<>(
              List.of(
                  dash(r.name()),
                  dash(r.database()),
                  dash(r.method()),
                  r.sizeBytes() == null ? "-" : size(r.sizeBytes()),
                  r.verified() ? "yes" : "no",
                  r.pinned() ? "yes" : "no",
                  dash(r.state()),
                  age(r.created(), now)));
      if (withNamespace) {
        cells.add(0, dash(r.namespace()));
      }
      lines.add(cells.toArray(String[]::new));
    }
    return table(lines);
  }

  /** {@code dbguard kubectl status}: the migration, its gate, its attempts and its backups. */
  static String status(MigrationSummary m, List<BackupRow> backups, Instant now) {
    StringBuilder b = new StringBuilder();
    b.append("DatabaseMigration ").append(m.namespace()).append('/').append(m.name()).append('\n');
    field(b, "phase", m.phase() + (m.reason() != null ? " (" + m.reason() + ")" : ""));
    field(b, "ready", m.ready());
    field(b, "message", m.message());
    if (m.image() != null) {
      field(
          b,
          "image",
          m.image()
              + (m.lastSucceededImage() != null && !m.lastSucceededImage().equals(m.image())
                  ? " (last succeeded: " + m.lastSucceededImage() + ")"
                  : ""));
    }
    if (m.revision() != null) {
      field(
          b,
          "revision",
          m.revision()
              + (m.attempt() != null ? ", attempt " + m.attempt() : "")
              + (m.retryToken() != null ? ", retry " + m.retryToken() : ""));
    }
    if (m.step() != null) {
      field(
          b,
          "step",
          m.step().step()
              + (m.step().job() != null ? ", job " + m.step().job() : "")
              + (m.step().startedAt() != null
                  ? ", started " + age(m.step().startedAt(), now) + " ago"
                  : ""));
    }
    field(b, "backup", m.backup());
    if (m.fence() != null) {
      field(b, "fence", m.fence() + (m.fenceMessage() != null ? ": " + m.fenceMessage() : ""));
    }
    if (m.gate().isEmpty()) {
      field(b, "gate", "pods wait: the migration has not started");
    }
    for (MigrationSummary.Gate g : m.gate()) {
      field(b, "gate", g.image() + " " + g.state() + ": " + g.message());
    }
    b.append('\n');
    if (m.attempts().isEmpty()) {
      b.append("No attempts recorded.\n");
    } else {
      b.append("Attempts (newest first):\n");
      // the RESTORED column appears only when a requested restore is among the entries
      boolean restores = m.attempts().stream().anyMatch(a -> a.restoredBackup() != null);
      List<String[]> lines = new ArrayList<>();
      lines.add(
          restores
              ? new String[] {
                "ATTEMPT", "REVISION", "IMAGE", "PHASE", "REASON", "RESTORED", "STARTED", "TOOK"
              }
              : new String[] {
                "ATTEMPT", "REVISION", "IMAGE", "PHASE", "REASON", "STARTED", "TOOK"
              });
      for (MigrationSummary.Attempt a : m.attempts()) {
        List<String> row = new ArrayList<>();
        row.add(a.attempt() == null ? "-" : a.attempt().toString());
        row.add(dash(a.revision()));
        row.add(dash(a.image()));
        row.add(dash(a.phase()));
        row.add(dash(a.reason()));
        if (restores) {
          row.add(dash(a.restoredBackup()));
        }
        row.add(a.startedAt() == null ? "-" : age(a.startedAt(), now) + " ago");
        row.add(
            a.startedAt() == null || a.finishedAt() == null
                ? "-"
                : duration(Duration.between(a.startedAt(), a.finishedAt())));
        lines.add(row.toArray(String[]::new));
      }
      b.append(indent(table(lines)));
    }
    b.append('\n');
    if (backups.isEmpty()) {
      b.append("No backups.\n");
    } else {
      b.append("Backups (newest first):\n");
      b.append(indent(backupsTable(backups, false, now)));
    }
    return b.toString();
  }

  /** The {@code -o json} document of {@code status}: the summary with its backups. */
  static String statusJson(MigrationSummary m, List<BackupRow> backups) {
    ObjectNode n = JSON.valueToTree(m);
    n.set("backups", JSON.valueToTree(backups));
    return write(n);
  }

  /** The {@code -o json} document of {@code backups}: {@code {"items":[…]}}. */
  static String backupsJson(List<BackupRow> rows) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode items = n.putArray("items");
    rows.forEach(r -> items.add(JSON.valueToTree(r)));
    return write(n);
  }

  /** Pretty JSON of {@code value}. */
  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** kubectl's age: {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d}; {@code -} when unknown. */
  static String age(Instant t, Instant now) {
    if (t == null) {
      return "-";
    }
    return duration(Duration.between(t, now));
  }

  /** A duration, coarsely: {@code 45s}, {@code 12m}, {@code 5h}, {@code 3d} (negative → 0s). */
  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 120 * 60) {
      return s / 60 + "m";
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }

  /** Bytes in binary units: {@code 812 B}, {@code 1.5 KiB}, {@code 12.3 MiB}, {@code 2.0 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  private static void field(StringBuilder b, String label, String value) {
    if (value != null && !value.isBlank()) {
      b.append(String.format(Locale.ROOT, "  %-9s %s%n", label, value));
    }
  }

  private static String dash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  private static String indent(String s) {
    return s.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
  }

  /** Left-aligned columns, three spaces apart, no trailing spaces. */
  static String table(List<String[]> lines) {
    int cols = lines.get(0).length;
    int[] width = new int[cols];
    for (String[] l : lines) {
      for (int i = 0; i < cols; i++) {
        width[i] = Math.max(width[i], l[i].length());
      }
    }
    StringBuilder b = new StringBuilder();
    for (String[] l : lines) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cols; i++) {
        line.append(
            i == cols - 1 ? l[i] : String.format(Locale.ROOT, "%-" + (width[i] + 3) + "s", l[i]));
      }
      b.append(line.toString().stripTrailing()).append('\n');
    }
    return b.toString();
  }
}
