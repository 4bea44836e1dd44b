package io.dbguard.core.analysis.frontend;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * A careful lexer and statement builder for the subset of Ruby found in Rails migrations and seeds.
 * There is no Ruby parser for Java worth depending on, so this reads tokens (not lines): strings
 * ({@code '…'}, {@code "…"} with {@code #{}} interpolation, {@code %q{}}/{@code %Q()}/ {@code
 * %w[]}/{@code %i[]}), heredocs ({@code <<~SQL}, {@code <<-SQL}, {@code <<SQL}, quoted terminators,
 * several on one line), symbols, comments ({@code #}, {@code =begin/=end}), and groups them into
 * statements (multi-line calls continue inside brackets, after a comma/operator or before a leading
 * {@code .}), with the stack of enclosing blocks ({@code def down}, {@code safety_assured do …
 * end}, {@code change_table :t do |t|}, {@code unless User.exists? … end}, one-line {@code { … }}
 * blocks).
 */
public final class RubySource {

  /** Token kinds. */
  public enum Kind {
    IDENT,
    SYMBOL,
    STRING,
    NUMBER,
    PUNCT,
    NEWLINE
  }

  /**
   * A token. For strings {@code text} is the content (heredoc body, interpolations kept as {@code
   * #{…}} text) and {@code line} the line where the content starts.
   */
  public record Token(Kind kind, String text, int line, boolean interpolated) {
    public boolean is(String s) {
      return text.equals(s) && kind != Kind.STRING;
    }
  }

  /** A comment: text after {@code #}, and its line. */
  public record Comment(String text, int line) {}

  /**
   * An enclosing block: the statement that opened it, its first and last line, and the names of its
   * block parameters ({@code do |row, i|} → {@code [row, i]}; empty when none).
   */
  public static final class Block {
    public final Statement opener;
    public final int line;
    public final List<String> params;
    public int endLine = Integer.MAX_VALUE;

    Block(Statement opener, int line, List<String> params) {
      this.opener = opener;
      this.line = line;
      this.params = params;
    }
  }

  /** A statement: its tokens (no newlines/comments), first line, and enclosing blocks. */
  public record Statement(List<Token> tokens, int line, List<Block> blocks) {
    /** The first token's text or "". */
    public String head() {
      return tokens.isEmpty() ? "" : tokens.get(0).text();
    }

    /** Whether any token (outside strings) equals {@code s}. */
    public boolean has(String s) {
      return tokens.stream().anyMatch(t -> t.is(s));
    }
  }

  private final List<Token> tokens = new ArrayList<>();
  private final List<Comment> comments = new ArrayList<>();
  private final List<Statement> statements = new ArrayList<>();

  private RubySource() {}

  /** Lexes and groups {@code src}. Never throws: unterminated constructs end at end of input. */
  public static RubySource parse(String src) {
    RubySource r = new RubySource();
    r.lex(src);
    r.group();
    return r;
  }

  public List<Statement> statements() {
    return statements;
  }

  public List<Comment> comments() {
    return comments;
  }

  // ---- lexer ----

  private record PendingHeredoc(
      String id, boolean squiggly, boolean dash, boolean raw, int index) {}

  private void lex(String s) {
    int n = s.length();
    int line = 1;
    List<PendingHeredoc> pending = new ArrayList<>();
    boolean lineStart = true;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (lineStart && s.startsWith("=begin", i)) {
        int end = s.indexOf("\n=end", i);
        int stop = end < 0 ? n : s.indexOf('\n', end + 1);
        if (stop < 0) {
          stop = n;
        }
        line += RubyText.count(s, i, stop);
        i = stop - 1;
        continue;
      }
      if (lineStart && s.startsWith("__END__", i)) {
        break;
      }
      lineStart = false;
      if (c == '\n') {
        add(Kind.NEWLINE, "\n", line, false);
        line++;
        lineStart = true;
        if (!pending.isEmpty()) {
          // heredoc bodies start on the next line
          int pos = i + 1;
          for (PendingHeredoc h : pending) {
            StringBuilder body = new StringBuilder();
            int bodyLine = line;
            while (pos < n) {
              int eol = s.indexOf('\n', pos);
              if (eol < 0) {
                eol = n;
              }
              String ln = s.substring(pos, eol);
              String cmp = h.squiggly || h.dash ? ln.strip() : ln;
              pos = Math.min(eol + 1, n);
              line++;
              if (cmp.equals(h.id)) {
                break;
              }
              body.append(ln).append('\n');
            }
            String text = h.squiggly ? RubyText.dedent(body.toString()) : body.toString();
            tokens.set(
                h.index, new Token(Kind.STRING, text, bodyLine, !h.raw && text.contains("#{")));
          }
          pending.clear();
          i = pos - 1;
        }
        continue;
      }
      if (Character.isWhitespace(c)) {
        continue;
      }
      if (c == '\\' && i + 1 < n && s.charAt(i + 1) == '\n') {
        i++;
        line++;
        continue;
      }
      if (c == '#') {
        int end = s.indexOf('\n', i);
        if (end < 0) {
          end = n;
        }
        comments.add(new Comment(s.substring(i + 1, end).trim(), line));
        i = end - 1;
        continue;
      }
      if (c == '<' && s.startsWith("<<", i) && i + 2 < n) {
        int j = i + 2;
        boolean squiggly = false;
        boolean dash = false;
        if (s.charAt(j) == '~') {
          squiggly = true;
          j++;
        } else if (s.charAt(j) == '-') {
          dash = true;
          j++;
        }
        boolean raw = false;
        char q = j < n ? s.charAt(j) : ' ';
        String id = null;
        int after = j;
        if (q == '\'' || q == '"' || q == '`') {
          int e = s.indexOf(q, j + 1);
          if (e > j) {
            id = s.substring(j + 1, e);
            raw = q == '\'';
            after = e + 1;
          }
        } else if (j < n
            && (Character.isUpperCase(q) || q == '_')
            && (squiggly || dash || prevIsValueStart())) {
          int e = j;
          while (e < n && (Character.isLetterOrDigit(s.charAt(e)) || s.charAt(e) == '_')) {
            e++;
          }
          id = s.substring(j, e);
          after = e;
        }
        if (id != null && !id.isEmpty()) {
          pending.add(new PendingHeredoc(id, squiggly, dash, raw, tokens.size()));
          add(Kind.STRING, "", line, false);
          i = after - 1;
          continue;
        }
      }
      if (c == '"' || c == '\'' || c == '`') {
        int start = line;
        StringBuilder sb = new StringBuilder();
        int j = i + 1;
        int depth = 0;
        while (j < n) {
          char d = s.charAt(j);
          if (d == '\\' && j + 1 < n) {
            sb.append(d).append(s.charAt(j + 1));
            if (s.charAt(j + 1) == '\n') {
              line++;
            }
            j += 2;
            continue;
          }
          if (c != '\'' && d == '#' && j + 1 < n && s.charAt(j + 1) == '{') {
            depth++;
          } else if (depth > 0 && d == '}') {
            depth--;
          } else if (d == c && depth == 0) {
            break;
          }
          if (d == '\n') {
            line++;
          }
          sb.append(d);
          j++;
        }
        add(
            Kind.STRING,
            RubyText.unescape(sb.toString(), c == '\''),
            start,
            c != '\'' && sb.indexOf("#{") >= 0);
        i = j;
        continue;
      }
      if (c == '%' && i + 1 < n && !prevIsValue()) {
        int j = i + 1;
        char type = s.charAt(j);
        if ("qQwWiI".indexOf(type) >= 0) {
          j++;
        } else {
          type = 'Q';
        }
        if (j < n && "({[<|!/".indexOf(s.charAt(j)) >= 0) {
          char open = s.charAt(j);
          char close =
              switch (open) {
                case '(' -> ')';
                case '{' -> '}';
                case '[' -> ']';
                case '<' -> '>';
                default -> open;
              };
          int depth = 1;
          int k = j + 1;
          int start = line;
          while (k < n) {
            char d = s.charAt(k);
            if (d == '\\') {
              k += 2;
              continue;
            }
            if (d == open && open != close) {
              depth++;
            } else if (d == close && --depth == 0) {
              break;
            }
            if (d == '\n') {
              line++;
            }
            k++;
          }
          String body = s.substring(j + 1, Math.min(k, n));
          if (type == 'w' || type == 'W' || type == 'i' || type == 'I') {
            add(Kind.PUNCT, "[", start, false);
            for (String w : body.trim().split("\\s+")) {
              if (!w.isEmpty()) {
                add(type == 'i' || type == 'I' ? Kind.SYMBOL : Kind.STRING, w, start, false);
                add(Kind.PUNCT, ",", start, false);
              }
            }
            add(Kind.PUNCT, "]", start, false);
          } else {
            add(Kind.STRING, body, start, type == 'Q' && body.contains("#{"));
          }
          i = k;
          continue;
        }
      }
      if (c == ':' && i + 1 < n && s.charAt(i + 1) == ':') {
        add(Kind.PUNCT, "::", line, false);
        i++;
        continue;
      }
      if (c == ':'
          && i + 1 < n
          && (Character.isLetter(s.charAt(i + 1)) || s.charAt(i + 1) == '_')) {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        if (j < n && (s.charAt(j) == '?' || s.charAt(j) == '!' || s.charAt(j) == '=')) {
          if (s.charAt(j) != '=' || (j + 1 < n && s.charAt(j + 1) != '>')) {
            j++;
          }
        }
        add(Kind.SYMBOL, s.substring(i + 1, j), line, false);
        i = j - 1;
        continue;
      }
      if (c == ':' && i + 1 < n && (s.charAt(i + 1) == '"' || s.charAt(i + 1) == '\'')) {
        int e = s.indexOf(s.charAt(i + 1), i + 2);
        if (e > 0) {
          add(Kind.SYMBOL, s.substring(i + 2, e), line, false);
          i = e;
          continue;
        }
      }
      if (Character.isLetter(c) || c == '_' || c == '@' || c == '$') {
        int j = i + 1;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_')) {
          j++;
        }
        if (j < n
            && (s.charAt(j) == '?' || s.charAt(j) == '!')
            && !(j + 1 < n && s.charAt(j + 1) == '=')) {
          j++;
        }
        // label `key:` (not `key::`)
        if (j < n
            && s.charAt(j) == ':'
            && !(j + 1 < n && s.charAt(j + 1) == ':')
            && (j + 1 >= n || s.charAt(j + 1) != ':')) {
          add(Kind.IDENT, s.substring(i, j), line, false);
          add(Kind.PUNCT, "=>", line, false);
          i = j;
          continue;
        }
        add(Kind.IDENT, s.substring(i, j), line, false);
        i = j - 1;
        continue;
      }
      if (Character.isDigit(c)) {
        int j = i;
        while (j < n
            && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '.')
            && !(s.charAt(j) == '.' && (j + 1 >= n || !Character.isDigit(s.charAt(j + 1))))) {
          j++;
        }
        add(Kind.NUMBER, s.substring(i, j), line, false);
        i = j - 1;
        continue;
      }
      for (String op :
          List.of(
              "=>", "->", "&.", "||", "&&", "==", "!=", "<=", ">=", "**", "+=", "-=", "||=",
              "<<")) {
        if (s.startsWith(op, i)) {
          add(Kind.PUNCT, op, line, false);
          i += op.length() - 1;
          c = 0;
          break;
        }
      }
      if (c != 0) {
        add(Kind.PUNCT, String.valueOf(c), line, false);
      }
    }
    add(Kind.NEWLINE, "\n", line, false);
  }

  private boolean prevIsValue() {
    if (tokens.isEmpty()) {
      return false;
    }
    Token t = tokens.get(tokens.size() - 1);
    return t.kind == Kind.NUMBER || t.kind == Kind.STRING || t.is(")") || t.is("]");
  }

  private boolean prevIsValueStart() {
    if (tokens.isEmpty()) {
      return true;
    }
    Token t = tokens.get(tokens.size() - 1);
    return t.kind == Kind.IDENT || t.is("(") || t.is(",") || t.is("=") || t.is("=>");
  }

  private void add(Kind k, String text, int line, boolean interp) {
    tokens.add(new Token(k, text, line, interp));
  }

  // ---- statements and blocks ----

  private static final Set<String> OPENERS_AT_START =
      Set.of("def", "class", "module", "begin", "case", "if", "unless", "while", "until", "for");

  private void group() {
    Deque<Block> stack = new ArrayDeque<>();
    Deque<Boolean> braceIsBlock = new ArrayDeque<>();
    List<Token> cur = new ArrayList<>();
    int depth = 0; // () [] and hash {}
    for (int i = 0; i < tokens.size(); i++) {
      Token t = tokens.get(i);
      if (t.kind == Kind.NEWLINE || t.is(";")) {
        if (depth > 0 || continues(cur, i)) {
          continue;
        }
        emit(cur, stack, false);
        cur = new ArrayList<>();
        continue;
      }
      if (t.kind == Kind.IDENT && t.text.equals("end") && !precededByDot(cur) && depth == 0) {
        if (!cur.isEmpty()) {
          emit(cur, stack, false);
          cur = new ArrayList<>();
        }
        if (!stack.isEmpty()) {
          stack.pop().endLine = t.line;
        }
        continue;
      }
      if (t.kind == Kind.IDENT && t.text.equals("do") && depth == 0) {
        cur.add(t);
        skipParams(i);
        Statement opener = emit(cur, stack, true);
        stack.push(new Block(opener, t.line, skipParamsNames));
        cur = new ArrayList<>();
        i = skipParamsIndex;
        continue;
      }
      if (t.is("{")) {
        boolean block = !cur.isEmpty() && isBlockBrace(cur.get(cur.size() - 1));
        braceIsBlock.push(block);
        if (block && depth == 0) {
          cur.add(t);
          skipParams(i);
          Statement opener = emit(cur, stack, true);
          stack.push(new Block(opener, t.line, skipParamsNames));
          cur = new ArrayList<>();
          i = skipParamsIndex;
          continue;
        }
        depth++;
        cur.add(t);
        continue;
      }
      if (t.is("}")) {
        boolean block = !braceIsBlock.isEmpty() && braceIsBlock.pop();
        if (block && depth == 0) {
          if (!cur.isEmpty()) {
            emit(cur, stack, false);
            cur = new ArrayList<>();
          }
          if (!stack.isEmpty()) {
            stack.pop().endLine = t.line;
          }
          continue;
        }
        depth = Math.max(0, depth - 1);
        cur.add(t);
        continue;
      }
      if (t.is("(") || t.is("[")) {
        depth++;
      } else if (t.is(")") || t.is("]")) {
        depth = Math.max(0, depth - 1);
      }
      cur.add(t);
    }
    if (!cur.isEmpty()) {
      emit(cur, stack, false);
    }
  }

  private int skipParamsIndex;
  private List<String> skipParamsNames = List.of();

  /**
   * After {@code do}/{@code {}: skips {@code |a, b|}; sets {@link #skipParamsIndex} and {@link
   * #skipParamsNames}.
   */
  private void skipParams(int i) {
    int j = i;
    List<String> names = new ArrayList<>();
    if (j + 1 < tokens.size() && tokens.get(j + 1).is("|")) {
      j += 2;
      while (j < tokens.size() && !tokens.get(j).is("|")) {
        if (tokens.get(j).kind == Kind.IDENT) {
          names.add(tokens.get(j).text);
        }
        j++;
      }
    } else if (j + 1 < tokens.size() && tokens.get(j + 1).is("||")) {
      j++;
    }
    skipParamsIndex = j;
    skipParamsNames = List.copyOf(names);
  }

  private static boolean isBlockBrace(Token prev) {
    if (prev.kind == Kind.IDENT) {
      return !Set.of("return", "if", "unless", "and", "or", "not", "puts", "in", "when")
          .contains(prev.text);
    }
    return prev.is(")") || prev.is("]");
  }

  private static boolean precededByDot(List<Token> cur) {
    return !cur.isEmpty() && (cur.get(cur.size() - 1).is(".") || cur.get(cur.size() - 1).is("&."));
  }

  /** A newline continues the statement after an operator/comma, or before a leading dot. */
  private boolean continues(List<Token> cur, int i) {
    if (cur.isEmpty()) {
      return false;
    }
    Token last = cur.get(cur.size() - 1);
    if (last.kind == Kind.PUNCT
        && Set.of(",", ".", "&.", "=>", "=", "+", "-", "*", "||", "&&", "<<", "\\", "?", ":", "||=")
            .contains(last.text)) {
      return true;
    }
    if (last.kind == Kind.IDENT && (last.text.equals("and") || last.text.equals("or"))) {
      return true;
    }
    int j = i + 1;
    while (j < tokens.size() && tokens.get(j).kind == Kind.NEWLINE) {
      j++;
    }
    return j < tokens.size() && (tokens.get(j).is(".") || tokens.get(j).is("&."));
  }

  private Statement emit(List<Token> cur, Deque<Block> stack, boolean opensBlock) {
    List<Block> ctx = new ArrayList<>(stack);
    java.util.Collections.reverse(ctx);
    Statement st = new Statement(List.copyOf(cur), cur.isEmpty() ? 0 : cur.get(0).line, ctx);
    if (!cur.isEmpty()) {
      statements.add(st);
      Token head = cur.get(0);
      if (!opensBlock
          && head.kind == Kind.IDENT
          && OPENERS_AT_START.contains(head.text)
          && !isEndless(cur)) {
        // `def up`, `if cond`, `unless X.exists?` open a block closed by `end`
        stack.push(new Block(st, head.line, List.of()));
      } else if (!opensBlock && assignsOpener(cur)) {
        stack.push(new Block(st, head.line, List.of()));
      }
    }
    return st;
  }

  /** {@code def x = expr} (endless method) or a one-line {@code if … then … end}. */
  private static boolean isEndless(List<Token> cur) {
    if (cur.get(0).text.equals("def")) {
      for (int i = 1; i < cur.size(); i++) {
        if (cur.get(i).is("=") && i > 1) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code x = if …} / {@code x = case …} / {@code x = begin}. */
  private static boolean assignsOpener(List<Token> cur) {
    for (int i = 0; i + 1 < cur.size(); i++) {
      if (cur.get(i).is("=") || cur.get(i).is("||=")) {
        Token n = cur.get(i + 1);
        return n.kind == Kind.IDENT && Set.of("if", "unless", "case", "begin").contains(n.text);
      }
    }
    return false;
  }
}
