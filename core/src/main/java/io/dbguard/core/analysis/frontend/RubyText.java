package io.dbguard.core.analysis.frontend;

/** Text helpers of the Ruby lexer ({@link RubySource}): line counts, string escapes, heredocs. */
final class RubyText {

  private RubyText() {}

  /** Newlines in {@code s} from {@code from} (inclusive) to {@code to} (exclusive). */
  static int count(String s, int from, int to) {
    int c = 0;
    for (int i = from; i < to; i++) {
      if (s.charAt(i) == '\n') {
        c++;
      }
    }
    return c;
  }

  /**
   * The text of a quoted string literal: {@code single} ({@code '…'}) unescapes only {@code \\'}
   * and {@code \\\\}, a double-quoted one also {@code \\n}, {@code \\t}, {@code \\"}.
   */
  static String unescape(String s, boolean single) {
    if (single) {
      return s.replace("\\'", "'").replace("\\\\", "\\");
    }
    return s.replace("\\n", "\n").replace("\\t", "\t").replace("\\\"", "\"").replace("\\\\", "\\");
  }

  /** A squiggly heredoc's body ({@code <<~}) with its least indentation removed from every line. */
  static String dedent(String body) {
    String[] lines = body.split("\n", -1);
    int min = Integer.MAX_VALUE;
    for (String l : lines) {
      if (!l.isBlank()) {
        int k = 0;
        while (k < l.length() && (l.charAt(k) == ' ' || l.charAt(k) == '\t')) {
          k++;
        }
        min = Math.min(min, k);
      }
    }
    if (min == Integer.MAX_VALUE) {
      return body;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String l = lines[i];
      sb.append(l.length() >= min ? l.substring(min) : l.strip());
      if (i < lines.length - 1) {
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
