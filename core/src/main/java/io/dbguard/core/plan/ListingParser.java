package io.dbguard.core.plan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the pending migrations out of a framework's own listing output. Pure functions over text;
 * lines that are none of the listing's (warnings, log lines) are ignored, but output without any of
 * the listing's markers is refused, so a failed or unexpected listing is never read as "nothing
 * pending".
 *
 * <p>Formats (as the frameworks print them):
 *
 * <ul>
 *   <li>Django {@code showmigrations --plan}: {@code [X] shop.0001_initial} (applied), {@code [ ]
 *       shop.0002_add_phone} (pending), {@code (no migrations)}; {@code showmigrations} without
 *       {@code --plan}: an app label line, then {@code [ ] 0002_add_phone}; {@code migrate --plan}:
 *       {@code Planned operations:}, then each pending label on a line of its own and its
 *       operations indented, or {@code No planned migration operations.}
 *   <li>Rails {@code db:migrate:status}: a {@code Status Migration ID Migration Name} header, then
 *       {@code up 20261101000000 Create users} / {@code down 20261122000000 Add phone to users}.
 *   <li>Prisma {@code migrate status}: {@code Following migration(s) have not yet been applied:}
 *       then one migration directory name a line up to a blank line; or {@code Database schema is
 *       up to date!}; or {@code No migration found}.
 *   <li>Alembic {@code current} then {@code history}: the current revision ({@code ae1027a6acf
 *       (head)}, nothing at base), then newest first {@code 1975ea83b712 -> ae1027a6acf (head), add
 *       phone} … {@code <base> -> 1975ea83b712, create account}. Pending: the revisions after the
 *       current one on the (linear) history.
 *   <li>Knex {@code migrate:list}: {@code Found 2 Completed Migration file/files.} then one file a
 *       line, {@code Found 1 Pending Migration file/files.} then one file a line (or {@code No
 *       Completed … Found.} / {@code No Pending Migration files Found.}); colour escapes ignored.
 *   <li>Sequelize {@code db:migrate:status}: {@code up 20261101-create-user.js} / {@code down
 *       20261122-add-phone.js}, after a {@code Sequelize CLI [Node: …]} banner.
 * </ul>
 */
public final class ListingParser {
  private static final Pattern DJANGO_PLAN_LINE =
      Pattern.compile("^\\s*\\[([ X-])\\]\\s+([\\w-]+\\.[\\w-]+)\\b.*$");
  private static final Pattern DJANGO_LIST_LINE =
      Pattern.compile("^\\s+\\[([ X-])\\]\\s+([\\w-]+)\\b.*$");
  private static final Pattern DJANGO_APP_LINE = Pattern.compile("^([\\w-]+)\\s*$");
  private static final Pattern DJANGO_PLANNED = Pattern.compile("^([\\w-]+\\.[\\w-]+)\\s*$");
  private static final Pattern RAILS_LINE =
      Pattern.compile("^\\s*(up|down)\\s+(\\d+)\\s+(.*?)\\s*$");
  private static final Pattern PRISMA_NAME = Pattern.compile("^\\s*([\\w.-]+)\\s*$");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");
  private static final Pattern KNEX_PENDING =
      Pattern.compile("^Found \\d+ Pending Migration file/files\\.$");
  private static final Pattern SEQUELIZE_LINE = Pattern.compile("^\\s*(up|down)\\s+(\\S+)\\s*$");
  private static final Pattern ALEMBIC_HISTORY =
      Pattern.compile("^\\s*(.+?) -> (\\w+)((?: \\([\\w ]+\\))*), ?(.*)$");
  private static final Pattern ALEMBIC_CURRENT =
      Pattern.compile("^\\s*(\\w+)((?: \\([\\w ]+\\))*)\\s*$");

  private ListingParser() {}

  /**
   * The pending migrations in {@code output}, in the order they would be applied.
   *
   * @throws IllegalArgumentException when the output is not the framework's listing (the message
   *     says what was expected)
   */
  public static List<PendingMigration> parse(Framework framework, String output) {
    List<String> lines = output.lines().toList();
    return switch (framework) {
      case DJANGO -> django(lines);
      case RAILS -> rails(lines);
      case PRISMA -> prisma(lines);
      case ALEMBIC -> alembic(lines);
      case KNEX -> knex(lines);
      case SEQUELIZE -> sequelize(lines);
    };
  }

  static List<PendingMigration> django(List<String> lines) {
    List<PendingMigration> out = new ArrayList<>();
    boolean marker = false;
    int planned = lines.indexOf("Planned operations:");
    if (planned >= 0) {
      for (String l : lines.subList(planned + 1, lines.size())) {
        Matcher m = DJANGO_PLANNED.matcher(l);
        if (m.matches()) {
          out.add(new PendingMigration(m.group(1), "", null));
        }
      }
      return out;
    }
    String app = null;
    for (String l : lines) {
      if (l.strip().equals("(no migrations)")) {
        marker = true;
        continue;
      }
      Matcher m = DJANGO_PLAN_LINE.matcher(l);
      if (m.matches()) {
        marker = true;
        if (!m.group(1).equals("X")) {
          out.add(new PendingMigration(m.group(2), "", null));
        }
        continue;
      }
      m = DJANGO_LIST_LINE.matcher(l);
      if (m.matches() && app != null) {
        marker = true;
        if (!m.group(1).equals("X")) {
          out.add(new PendingMigration(app + "." + m.group(2), "", null));
        }
        continue;
      }
      m = DJANGO_APP_LINE.matcher(l);
      if (m.matches()) {
        app = m.group(1);
      }
    }
    if (!marker) {
      throw new IllegalArgumentException(
          "no Django migration listing in the output (expected lines like '[ ]  app.0002_name'"
              + " from showmigrations --plan)");
    }
    return out;
  }

  static List<PendingMigration> rails(List<String> lines) {
    boolean header =
        lines.stream().anyMatch(l -> l.contains("Status") && l.contains("Migration ID"));
    if (!header) {
      throw new IllegalArgumentException(
          "no Rails migration status in the output (expected the header 'Status   Migration ID"
              + "    Migration Name' of db:migrate:status)");
    }
    List<PendingMigration> out = new ArrayList<>();
    for (String l : lines) {
      Matcher m = RAILS_LINE.matcher(l);
      if (m.matches() && m.group(1).equals("down")) {
        out.add(new PendingMigration(m.group(2), m.group(3), null));
      }
    }
    return out;
  }

  static List<PendingMigration> prisma(List<String> lines) {
    List<PendingMigration> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.contains("have not yet been applied")) {
        for (int j = i + 1; j < lines.size() && !lines.get(j).isBlank(); j++) {
          Matcher m = PRISMA_NAME.matcher(lines.get(j));
          if (m.matches()) {
            out.add(new PendingMigration(m.group(1), "", null));
          }
        }
        return out;
      }
    }
    boolean none =
        lines.stream()
            .anyMatch(
                l ->
                    l.contains("Database schema is up to date")
                        || l.contains("No migration found"));
    if (!none) {
      throw new IllegalArgumentException(
          "no Prisma migration status in the output (expected 'Following migrations have not yet"
              + " been applied:' or 'Database schema is up to date!')");
    }
    return out;
  }

  static List<PendingMigration> knex(List<String> lines) {
    List<String> clean = lines.stream().map(l -> ANSI.matcher(l).replaceAll("").strip()).toList();
    if (clean.contains("No Pending Migration files Found.")) {
      return List.of();
    }
    int at = -1;
    for (int i = 0; i < clean.size(); i++) {
      if (KNEX_PENDING.matcher(clean.get(i)).matches()) {
        at = i;
      }
    }
    if (at < 0) {
      throw new IllegalArgumentException(
          "no Knex migration list in the output (expected 'Found N Pending Migration"
              + " file/files.' or 'No Pending Migration files Found.' from knex migrate:list)");
    }
    List<PendingMigration> out = new ArrayList<>();
    for (String l : clean.subList(at + 1, clean.size())) {
      if (l.isEmpty() || l.startsWith("Found ") || l.startsWith("No ")) {
        break;
      }
      out.add(new PendingMigration(l, "", null));
    }
    return out;
  }

  static List<PendingMigration> sequelize(List<String> lines) {
    boolean marker = false;
    List<PendingMigration> out = new ArrayList<>();
    for (String raw : lines) {
      String l = ANSI.matcher(raw).replaceAll("");
      if (l.contains("Sequelize CLI [")) {
        marker = true;
        continue;
      }
      Matcher m = SEQUELIZE_LINE.matcher(l);
      if (m.matches()) {
        marker = true;
        if (m.group(1).equals("down")) {
          out.add(new PendingMigration(m.group(2), "", null));
        }
      }
    }
    if (!marker) {
      throw new IllegalArgumentException(
          "no Sequelize migration status in the output (expected the 'Sequelize CLI [' banner and"
              + " lines like 'down 20261122-add-phone.js' from db:migrate:status)");
    }
    return out;
  }

  static List<PendingMigration> alembic(List<String> lines) {
    String current = null;
    List<String[]> history = new ArrayList<>(); // newest first: {revision, message}
    for (String l : lines) {
      Matcher h = ALEMBIC_HISTORY.matcher(l);
      if (h.matches()) {
        history.add(new String[] {h.group(2), h.group(4).strip()});
        continue;
      }
      Matcher c = ALEMBIC_CURRENT.matcher(l);
      if (c.matches() && history.isEmpty() && !l.strip().startsWith("INFO")) {
        current = c.group(1);
      }
    }
    if (history.isEmpty()) {
      throw new IllegalArgumentException(
          "no Alembic history in the output (expected lines like '<base> -> 1975ea83b712,"
              + " message' from alembic history)");
    }
    List<PendingMigration> out = new ArrayList<>();
    boolean found = current == null;
    for (String[] h : history) {
      if (h[0].equals(current)) {
        found = true;
        break;
      }
      out.add(new PendingMigration(h[0], h[1], null));
    }
    if (!found) {
      throw new IllegalArgumentException(
          "the current Alembic revision " + current + " is not in the history that was listed");
    }
    Collections.reverse(out);
    return out;
  }
}
