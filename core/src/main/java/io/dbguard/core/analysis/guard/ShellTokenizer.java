package io.dbguard.core.analysis.guard;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a POSIX-shell command line into simple commands (lists of words) the way {@code sh} would
 * for the purposes of the guard: single and double quotes, backslash escapes, comments, and the
 * separators {@code ; && || | & ( )} and newlines. Expansions ({@code $VAR}, {@code $(…)}) are kept
 * as literal text; the guard never executes anything. {@link #commands} also keeps what feeds a
 * command's standard input: a pipe from the previous command, or a here-document ({@code <<TAG …
 * TAG}, {@code <<-TAG}, quoted tags), whose body is not read as commands.
 */
public final class ShellTokenizer {

  private ShellTokenizer() {}

  /**
   * One simple command.
   *
   * @param words its words, quotes removed
   * @param stdinFromPipe whether the previous command's output is piped into it ({@code a | b})
   * @param hereDocument the body of a here-document given as its standard input, or {@code null}
   */
  public record SimpleCommand(List<String> words, boolean stdinFromPipe, String hereDocument) {}

  /**
   * Tokenises {@code command} into simple commands with their standard-input sources.
   *
   * @return in order; never {@code null}; empty commands omitted
   */
  public static List<SimpleCommand> commands(String command) {
    return new Scan(command).run();
  }

  /**
   * Tokenises {@code command}.
   *
   * @return one list of words per simple command, in order; never {@code null}; empty commands are
   *     omitted. An unterminated quote ends at the end of the input (tolerant).
   */
  public static List<List<String>> split(String command) {
    List<List<String>> out = new ArrayList<>();
    for (SimpleCommand c : commands(command)) {
      out.add(c.words());
    }
    return out;
  }

  /** One pass over a command line. */
  private static final class Scan {
    private final String command;
    private final List<SimpleCommand> commands = new ArrayList<>();
    private List<String> current = new ArrayList<>();
    private final StringBuilder word = new StringBuilder();
    private boolean inWord;
    private boolean piped;
    private String hereTag;
    private boolean hereStripTabs;
    private String hereBody;

    Scan(String command) {
      this.command = command;
    }

    List<SimpleCommand> run() {
      int n = command.length();
      for (int i = 0; i < n; i++) {
        char c = command.charAt(i);
        if (c == '\'') {
          inWord = true;
          int end = command.indexOf('\'', i + 1);
          if (end < 0) {
            end = n;
          }
          word.append(command, i + 1, end);
          i = end;
        } else if (c == '"') {
          inWord = true;
          int j = i + 1;
          while (j < n && command.charAt(j) != '"') {
            char d = command.charAt(j);
            if (d == '\\' && j + 1 < n && "\"\\$`\n".indexOf(command.charAt(j + 1)) >= 0) {
              if (command.charAt(j + 1) != '\n') {
                word.append(command.charAt(j + 1));
              }
              j += 2;
            } else {
              word.append(d);
              j++;
            }
          }
          i = j;
        } else if (c == '\\') {
          if (i + 1 < n) {
            char next = command.charAt(i + 1);
            if (next != '\n') {
              word.append(next);
              inWord = true;
            }
            i++;
          }
        } else if (c == '#' && !inWord) {
          while (i + 1 < n && command.charAt(i + 1) != '\n') {
            i++;
          }
        } else if (c == '<'
            && !inWord
            && i + 1 < n
            && command.charAt(i + 1) == '<'
            && (i + 2 >= n || command.charAt(i + 2) != '<')) {
          i = hereDocumentTag(i + 2);
        } else if (c == ' ' || c == '\t' || c == '\r') {
          flush();
        } else if (c == '\n') {
          flush();
          end(false);
          if (hereTag != null) {
            i = hereDocumentBody(i + 1);
          }
        } else if (c == ';' || c == '&' || c == '|' || c == '(' || c == ')') {
          boolean pipe =
              c == '|'
                  && (i + 1 >= n || command.charAt(i + 1) != '|')
                  && (i == 0 || command.charAt(i - 1) != '|');
          flush();
          end(pipe);
        } else {
          word.append(c);
          inWord = true;
        }
      }
      flush();
      end(false);
      return commands;
    }

    /** Reads {@code TAG}, {@code -TAG}, {@code 'TAG'}, {@code "TAG"} after {@code <<}. */
    private int hereDocumentTag(int from) {
      int n = command.length();
      int i = from;
      hereStripTabs = i < n && command.charAt(i) == '-';
      if (hereStripTabs) {
        i++;
      }
      while (i < n && (command.charAt(i) == ' ' || command.charAt(i) == '\t')) {
        i++;
      }
      StringBuilder tag = new StringBuilder();
      while (i < n && " \t\n;&|<>()".indexOf(command.charAt(i)) < 0) {
        char d = command.charAt(i);
        if (d != '\'' && d != '"' && d != '\\') {
          tag.append(d);
        }
        i++;
      }
      hereTag = tag.length() == 0 ? null : tag.toString();
      return i - 1;
    }

    /** Reads here-document lines from {@code from} up to the tag line; returns the last index. */
    private int hereDocumentBody(int from) {
      int n = command.length();
      StringBuilder body = new StringBuilder();
      int i = from;
      while (i < n) {
        int eol = command.indexOf('\n', i);
        int stop = eol < 0 ? n : eol;
        String line = command.substring(i, stop);
        String cmp = hereStripTabs ? line.replaceFirst("^\t+", "") : line;
        i = stop + 1;
        if (cmp.strip().equals(hereTag)) {
          break;
        }
        body.append(line).append('\n');
      }
      if (!commands.isEmpty()) {
        SimpleCommand last = commands.remove(commands.size() - 1);
        commands.add(new SimpleCommand(last.words(), last.stdinFromPipe(), body.toString()));
      }
      hereTag = null;
      return i - 1;
    }

    private void flush() {
      if (inWord) {
        current.add(word.toString());
        word.setLength(0);
      }
      inWord = false;
    }

    private void end(boolean pipeFollows) {
      if (!current.isEmpty()) {
        commands.add(new SimpleCommand(current, piped, null));
        current = new ArrayList<>();
        piped = false;
      }
      if (pipeFollows) {
        piped = true;
      }
    }
  }
}
