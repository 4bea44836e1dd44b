package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code docs/cli.md} documents the whole command line: walks picocli's model of {@code dbguard}
 * (every subcommand, at every depth) and requires a {@code ### `dbguard <command>`} section for
 * each command that runs, naming each of its options, or the option in "Options every command
 * takes".
 */
class CliDocsTest {

  static final String COMMON_HEADING = "## Options every command takes";

  @Test
  void everyCommandAndOptionIsInCliMd() throws IOException {
    String doc = Files.readString(repoRoot().resolve("docs/cli.md"));
    String common = section(doc, COMMON_HEADING);
    assertThat(common).as("section '%s' in docs/cli.md", COMMON_HEADING).isNotNull();

    List<String> missing = new ArrayList<>();
    for (OptionSpec o : Main.commandLine().getCommandSpec().options()) {
      for (String name : o.names()) {
        if (!mentions(common, name)) {
          missing.add("dbguard " + name + " (top level)");
        }
      }
    }
    List<CommandSpec> commands = new ArrayList<>();
    collect(Main.commandLine().getCommandSpec(), commands);
    assertThat(commands).hasSizeGreaterThan(10);
    for (CommandSpec c : commands) {
      String name = c.qualifiedName(" ");
      if (!doc.contains("`" + name)) {
        missing.add(name + ": command not mentioned");
      }
      if (!c.subcommands().isEmpty()) {
        continue; // a group: its commands have the sections
      }
      String heading = "### `" + name + "`";
      String body = section(doc, heading);
      if (body == null) {
        missing.add(name + ": no section '" + heading + "'");
        continue;
      }
      for (OptionSpec o : c.options()) {
        for (String optionName : o.names()) {
          if (!mentions(body, optionName) && !mentions(common, optionName)) {
            missing.add(name + " " + optionName);
          }
        }
      }
    }
    assertThat(missing).as("commands and options missing from docs/cli.md").isEmpty();
  }

  /**
   * An option is mentioned as code: in a fenced code block or a code span, as a whole word ({@code
   * `--backup-dir DIR [--backup NAME]`} mentions {@code --backup}), or as {@code `--[no-]name`}.
   */
  static boolean mentions(String text, String optionName) {
    Pattern word = Pattern.compile("(?<![\\w-])" + Pattern.quote(optionName) + "(?![\\w-])");
    String[] fenced = text.split("```", -1);
    for (int f = 0; f < fenced.length; f++) {
      if (f % 2 == 1) {
        if (word.matcher(fenced[f]).find()) {
          return true;
        }
        continue;
      }
      String[] spans = fenced[f].split("`", -1);
      for (int i = 1; i < spans.length; i += 2) {
        if (word.matcher(spans[i]).find()
            || spans[i].equals("--[no-]" + optionName.replaceFirst("^--(no-)?", ""))) {
          return true;
        }
      }
    }
    return false;
  }

  /** The text of the section that starts with the line {@code heading}, or null. */
  static String section(String doc, String heading) {
    int start = -1;
    for (int i = doc.indexOf(heading); i >= 0; i = doc.indexOf(heading, i + 1)) {
      boolean lineStart = i == 0 || doc.charAt(i - 1) == '\n';
      int eol = doc.indexOf('\n', i);
      boolean lineEnd = eol < 0 || eol == i + heading.length();
      if (lineStart && lineEnd) {
        start = i;
        break;
      }
    }
    if (start < 0) {
      return null;
    }
    int level = heading.indexOf(' ');
    int end = doc.length();
    for (int i = doc.indexOf('\n', start);
        i >= 0 && i < doc.length();
        i = doc.indexOf('\n', i + 1)) {
      int hashes = 0;
      while (i + 1 + hashes < doc.length() && doc.charAt(i + 1 + hashes) == '#') {
        hashes++;
      }
      if (hashes > 0 && hashes <= level && doc.charAt(i + 1 + hashes) == ' ') {
        end = i;
        break;
      }
    }
    return doc.substring(start, end);
  }

  static void collect(CommandSpec spec, List<CommandSpec> out) {
    for (CommandLine sub : spec.subcommands().values()) {
      if (!out.contains(sub.getCommandSpec())) {
        out.add(sub.getCommandSpec());
        collect(sub.getCommandSpec(), out);
      }
    }
  }

  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (!Files.isDirectory(p.resolve("docs"))) {
      p = p.getParent();
    }
    return p;
  }
}
