package io.dbguard.core.analysis.guard;

import io.dbguard.core.analysis.Finding;
import io.dbguard.core.analysis.SqlTextLint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Judges a command that hands SQL to a database client by what the SQL does: the SQL is run through
 * the migration lint ({@link SqlTextLint}) and the command is refused when the lint refuses it
 * (TRUNCATE, DROP TABLE, DELETE/UPDATE without WHERE, …).
 *
 * <p>Clients: {@code psql}, {@code pgcli} ({@code -c SQL}, {@code --command=SQL}, {@code -f FILE},
 * {@code --file=FILE}), {@code mysql}/{@code mariadb} ({@code -e SQL}, {@code --execute=SQL}),
 * {@code sqlite3} (SQL arguments after the database file, {@code -cmd SQL}, {@code .read FILE}),
 * {@code manage.py dbshell} (arguments after {@code --} go to the client) and {@code rails
 * dbconsole}/{@code rails db}. SQL on standard input is read from {@code < FILE}, a here-document,
 * or a pipe from {@code echo}/{@code printf} (their literal arguments) or {@code cat FILE…}. Files
 * are read relative to the working directory. {@code manage.py sqlflush} piped into a client is
 * refused as a flush (DBG014).
 *
 * <p>What it cannot see, and lets through: SQL produced by any other program ({@code curl}, {@code
 * base64 -d}, {@code gunzip}, a script's output), files it cannot read (no working directory, as in
 * the operator's validation of the spec), and SQL built from variables. For those the data-loss
 * check after the migration is the net.
 */
final class SqlClientCommands {

  private SqlClientCommands() {}

  static final Set<String> CLIENTS =
      Set.of("psql", "pgcli", "sqlite3", "sqlite", "mysql", "mariadb");
  private static final Set<String> DJANGO = Set.of("manage.py", "django-admin", "django-admin.py");
  private static final Set<String> RAILS = Set.of("rails", "rake");
  private static final long MAX_SQL_BYTES = 16L << 20;

  /** SQL given to a client, with where it came from. */
  private record Sql(String text, String from) {}

  /**
   * The refusal for {@code words} (prefixes stripped) when it is a database client given SQL that
   * the lint refuses.
   *
   * @param producer the command piped into this one, or {@code null}
   * @param hereDocument here-document body on its standard input, or {@code null}
   * @param workDir where files are read, or {@code null} (files are then not read)
   */
  static Optional<DangerousCommand> check(
      List<String> words, List<String> producer, String hereDocument, Path workDir) {
    int at = clientIndex(words);
    if (at < 0) {
      return Optional.empty();
    }
    String prog = ProductionGuard.program(words.get(at));
    String dialect = prog.startsWith("sqlite") ? "sqlite" : "postgresql";
    List<String> args = clientArgs(words, at);
    List<Sql> sqls = new ArrayList<>();
    collectArguments(prog, args, workDir, sqls);
    if (hereDocument != null) {
      sqls.add(new Sql(hereDocument, "here-document"));
    }
    if (producer != null) {
      List<String> p = ProductionGuard.stripPrefixes(producer);
      if (!p.isEmpty()) {
        Optional<DangerousCommand> flush = sqlflush(p);
        if (flush.isPresent()) {
          return flush;
        }
        stdinFrom(p, workDir, sqls);
      }
    }
    for (Sql sql : sqls) {
      List<Finding> refused = SqlTextLint.blocking(sql.text(), sql.from(), dialect);
      if (!refused.isEmpty()) {
        Finding f = refused.get(0);
        return Optional.of(
            new DangerousCommand(
                "DBG023",
                "sql-refused-by-lint",
                Set.of(),
                List.of(),
                List.of(),
                null,
                "hands the database SQL the migration lint refuses: "
                    + f.ruleId()
                    + " "
                    + f.rule().name()
                    + " ("
                    + sql.from()
                    + (f.line() > 0 ? " line " + f.line() : "")
                    + ": "
                    + f.message()
                    + ")",
                List.of()));
      }
    }
    return Optional.empty();
  }

  /** Index of the client program in {@code words}, or -1. */
  private static int clientIndex(List<String> words) {
    for (int i = 0; i < words.size(); i++) {
      String p = ProductionGuard.program(words.get(i));
      if (CLIENTS.contains(p)) {
        return i;
      }
      if (DJANGO.contains(p) && positional(words, i + 1).equals("dbshell")) {
        return i;
      }
      if (RAILS.contains(p)
          && (positional(words, i + 1).equals("dbconsole")
              || positional(words, i + 1).equals("db"))) {
        return i;
      }
    }
    return -1;
  }

  private static String positional(List<String> words, int from) {
    for (int i = from; i < words.size(); i++) {
      if (!words.get(i).startsWith("-")) {
        return words.get(i).toLowerCase(Locale.ROOT);
      }
    }
    return "";
  }

  /** The client's own arguments: after {@code --} for dbshell/dbconsole wrappers. */
  private static List<String> clientArgs(List<String> words, int at) {
    List<String> args = words.subList(at + 1, words.size());
    String p = ProductionGuard.program(words.get(at));
    if (!CLIENTS.contains(p)) {
      int dash = args.indexOf("--");
      List<String> out = new ArrayList<>();
      // redirections stay visible; client flags follow "--"
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i).startsWith("<") || (dash >= 0 && i > dash)) {
          out.add(args.get(i));
        }
      }
      return out;
    }
    return args;
  }

  private static void collectArguments(
      String prog, List<String> args, Path workDir, List<Sql> out) {
    boolean sqlite = prog.startsWith("sqlite");
    boolean mysql = prog.equals("mysql") || prog.equals("mariadb");
    String inline = mysql ? "-e" : "-c";
    String inlineLong = mysql ? "--execute" : "--command";
    boolean seenDatabase = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      String next = i + 1 < args.size() ? args.get(i + 1) : null;
      if (a.equals("<") && next != null) {
        file(next, workDir, "< " + next, out);
        i++;
      } else if (a.startsWith("<") && a.length() > 1 && !a.startsWith("<<")) {
        file(a.substring(1), workDir, a, out);
      } else if (sqlite) {
        if (a.equals("-cmd") && next != null) {
          sql(next, prog + " -cmd", workDir, true, out);
          i++;
        } else if (a.startsWith("-")) {
          continue;
        } else if (!seenDatabase) {
          seenDatabase = true;
        } else {
          sql(a, prog, workDir, true, out);
        }
      } else if (a.equals(inline) || a.equals(inlineLong)) {
        if (next != null) {
          out.add(new Sql(next, prog + " " + a));
          i++;
        }
      } else if (a.startsWith(inlineLong + "=")) {
        out.add(new Sql(a.substring(inlineLong.length() + 1), prog + " " + inlineLong));
      } else if (a.startsWith(inline) && a.length() > 2 && !a.startsWith("--")) {
        out.add(new Sql(a.substring(2), prog + " " + inline));
      } else if (!mysql && (a.equals("-f") || a.equals("--file")) && next != null) {
        file(next, workDir, next, out);
        i++;
      } else if (!mysql && a.startsWith("--file=")) {
        file(a.substring("--file=".length()), workDir, a.substring(7), out);
      } else if (!mysql && a.startsWith("-f") && a.length() > 2 && !a.startsWith("--")) {
        file(a.substring(2), workDir, a.substring(2), out);
      }
    }
  }

  /** SQLite shell text: dot-commands {@code .read FILE} are followed, the rest is SQL. */
  private static void sql(String text, String from, Path workDir, boolean sqlite, List<Sql> out) {
    StringBuilder plain = new StringBuilder();
    for (String line : text.split("\n")) {
      String t = line.strip();
      if (sqlite && t.startsWith(".read ")) {
        String f = t.substring(".read ".length()).strip().replace("'", "").replace("\"", "");
        file(f, workDir, f, out);
      } else if (!(sqlite && t.startsWith("."))) {
        plain.append(line).append('\n');
      }
    }
    out.add(new Sql(plain.toString(), from));
  }

  private static void file(String name, Path workDir, String from, List<Sql> out) {
    if (workDir == null || name.isBlank() || name.contains("$")) {
      return;
    }
    Path f = workDir.resolve(name).normalize();
    try {
      if (Files.isRegularFile(f) && Files.size(f) <= MAX_SQL_BYTES) {
        out.add(new Sql(new String(Files.readAllBytes(f), StandardCharsets.UTF_8), from));
      }
    } catch (IOException e) {
      // unreadable: not decidable here; the data-loss check is the net
    }
  }

  private static void stdinFrom(List<String> producer, Path workDir, List<Sql> out) {
    String p = ProductionGuard.program(producer.get(0));
    List<String> args = producer.subList(1, producer.size());
    if (p.equals("echo") || p.equals("printf")) {
      List<String> literal = args.stream().filter(a -> !a.matches("-[neE]+")).toList();
      String text = String.join(" ", literal);
      if (p.equals("printf") || args.stream().anyMatch(a -> a.matches("-[nE]*e[nE]*"))) {
        text = text.replace("\\n", "\n").replace("\\t", "\t");
      }
      out.add(new Sql(text, p + " | client"));
    } else if (p.equals("cat")) {
      for (String a : args) {
        if (!a.startsWith("-")) {
          file(a, workDir, a, out);
        }
      }
    }
  }

  /** {@code manage.py sqlflush} piped into a client: deletes every row (DBG014). */
  private static Optional<DangerousCommand> sqlflush(List<String> producer) {
    for (int i = 0; i < producer.size(); i++) {
      if (DJANGO.contains(ProductionGuard.program(producer.get(i)))
          && positional(producer, i + 1).equals("sqlflush")) {
        return Optional.of(DangerousCommands.SQLFLUSH_PIPED);
      }
    }
    return Optional.empty();
  }
}
