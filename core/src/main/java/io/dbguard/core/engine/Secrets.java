package io.dbguard.core.engine;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps database secrets out of text that dbguard prints, writes to a termination log or puts in an
 * exception. Three tools, none of which needs a URL to parse:
 *
 * <ul>
 *   <li>{@link #redactUrls}: credentials inside URL-like text — the userinfo password of {@code
 *       scheme://user:password@host} up to the <em>last</em> {@code @} of the token (so an
 *       unencoded {@code /}, {@code ?}, {@code #} or {@code @} in the password is covered), and the
 *       value of any {@code password=}, {@code sslpassword=}, {@code passwd=}, {@code pwd=}
 *       parameter, in any letter case;
 *   <li>{@link #scrub}: a known secret value wherever it appears as a whole — a secret of at least
 *       {@link #SUBSTRING_MIN_LENGTH} characters everywhere, a shorter one only where it is not
 *       part of a longer word (a password {@code p} must not turn "port" into "***ort"), together
 *       with its URL-encoded form;
 *   <li>{@link #describeUnparsed}: what may be said about a value that is not a valid database URL
 *       — its scheme when it is one dbguard knows, nothing else.
 * </ul>
 */
public final class Secrets {
  /** Secrets this long or longer are replaced wherever they occur, also inside words. */
  public static final int SUBSTRING_MIN_LENGTH = 8;

  private static final Pattern USERINFO =
      Pattern.compile("(?i)([a-z][a-z0-9+.\\-]*://[^:/?#@\\s]*:)\\S*@");
  private static final Pattern PARAMETER =
      Pattern.compile("(?i)((?:ssl)?password|passwd|pwd)=[^&\\s;,'\"]*");
  private static final Set<String> KNOWN_SCHEMES =
      Set.of("postgresql://", "postgres://", "jdbc:postgresql:", "sqlite:", "jdbc:sqlite:");

  private Secrets() {}

  /**
   * Replaces URL credentials in any text with {@code ***}, see the class comment.
   *
   * @param text any text, may be null
   * @return the text without URL passwords; null for null
   */
  public static String redactUrls(String text) {
    if (text == null) {
      return null;
    }
    String out =
        USERINFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "***@");
    return PARAMETER.matcher(out).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "=***");
  }

  /**
   * Replaces whole occurrences of {@code secret} (and its URL-encoded forms) in {@code text} with
   * {@code ***}, see the class comment.
   *
   * @param text any text, may be null
   * @param secret the secret, may be null or empty (then the text is returned as it is)
   */
  public static String scrub(String text, String secret) {
    if (text == null || secret == null || secret.isEmpty()) {
      return text;
    }
    Set<String> forms = new LinkedHashSet<>();
    forms.add(secret);
    String enc = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    forms.add(enc);
    forms.add(enc.replace("+", "%20"));
    String out = text;
    for (String f : forms) {
      if (f.length() >= SUBSTRING_MIN_LENGTH) {
        out = out.replace(f, "***");
      } else {
        out =
            Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(f) + "(?![\\p{L}\\p{N}_])")
                .matcher(out)
                .replaceAll("***");
      }
    }
    return out;
  }

  /**
   * How to name a value that is not a valid database URL in a message: its scheme followed by
   * {@code …} when it starts with a scheme dbguard supports, otherwise a fixed phrase. Never any
   * other part of the value: it may be a password or contain one.
   */
  public static String describeUnparsed(String value) {
    String v = value == null ? "" : value.strip();
    String lower = v.toLowerCase(Locale.ROOT);
    for (String s :
        new String[] {
          "jdbc:postgresql:", "jdbc:sqlite:", "postgresql://", "postgres://", "sqlite:"
        }) {
      if (lower.startsWith(s) && KNOWN_SCHEMES.contains(s)) {
        return s + "…";
      }
    }
    return "(a value that is not a database URL; not shown, it may be a secret)";
  }
}
