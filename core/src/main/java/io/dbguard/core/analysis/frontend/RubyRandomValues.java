package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The random values of a Ruby seed: Faker ({@code Faker::Company.name}), {@code SecureRandom},
 * {@code rand}/{@code Random}, {@code sample}/{@code shuffle}, the current time ({@code
 * Time.current}, {@code Time.now}, {@code Time.zone.now}, {@code DateTime.now}), also inside a
 * string's interpolation, and a variable assigned one of them. A {@code find_or_create_by} looked
 * up by such a value finds no row on a rerun and creates one. After {@code Faker::Config.random =
 * Random.new(42)} Faker repeats its values, and after {@code srand(42)} so do {@code rand}, {@code
 * sample} and Faker, which draws from Ruby's default generator unless configured (faker-ruby
 * README, "Deterministic Random").
 */
final class RubyRandomValues {

  private static final Pattern ALWAYS =
      Pattern.compile(
          "\\bSecureRandom\\b|\\b(?:Time|DateTime)\\.(?:current|now)\\b|\\bTime\\.zone\\.now\\b");
  private static final Pattern FAKER = Pattern.compile("\\bFaker::");
  private static final Pattern RAND =
      Pattern.compile("(?<![\\w.:])rand\\b|\\bRandom\\.(?:rand|new)\\b|\\.(?:sample|shuffle)\\b");

  private final Set<String> variables = new HashSet<>();
  private boolean fakerSeeded;
  private boolean randSeeded;

  /** Reads statement {@code toks}: a seeding of Faker or of Ruby's generator with a constant. */
  void statement(List<Token> toks) {
    String code = code(toks);
    if (code.matches("Faker::Config\\.random=Random\\.new\\(\\d+\\)")) {
      fakerSeeded = true;
    } else if (code.matches("(?:Kernel\\.|Random\\.)?srand\\(?\\d+\\)?")) {
      randSeeded = true;
      fakerSeeded = true;
    }
  }

  /** The text of {@code toks} when they read a random value not seeded, else {@code null}. */
  String random(List<Token> toks) {
    String code = code(toks);
    boolean random =
        ALWAYS.matcher(code).find()
            || !fakerSeeded && FAKER.matcher(code).find()
            || !randSeeded && RAND.matcher(code).find();
    if (!random) {
      for (Token t : toks) {
        random |= t.kind() == Kind.IDENT && variables.contains(t.text());
      }
    }
    return random ? code : null;
  }

  /** Records that variable {@code name} was assigned the value {@code toks}. */
  void assigned(String name, List<Token> toks) {
    if (random(toks) != null) {
      variables.add(name);
    } else {
      variables.remove(name);
    }
  }

  /** The code of {@code toks}: identifiers and punctuation, a string's interpolations only. */
  private static String code(List<Token> toks) {
    StringBuilder sb = new StringBuilder();
    for (Token t : toks) {
      if (t.kind() == Kind.STRING) {
        if (t.interpolated()) {
          sb.append(' ').append(interpolations(t.text())).append(' ');
        } else {
          sb.append("\"\"");
        }
      } else if (t.kind() == Kind.SYMBOL) {
        sb.append(':').append(t.text());
      } else if (t.kind() == Kind.IDENT
          && !sb.isEmpty()
          && Character.isLetterOrDigit(sb.charAt(sb.length() - 1))) {
        sb.append(' ').append(t.text());
      } else {
        sb.append(t.text());
      }
    }
    return sb.toString();
  }

  /** The {@code #{…}} parts of an interpolated string's text. */
  private static String interpolations(String s) {
    StringBuilder sb = new StringBuilder();
    int at = s.indexOf("#{");
    while (at >= 0) {
      int depth = 0;
      int k = at + 1;
      for (; k < s.length(); k++) {
        char c = s.charAt(k);
        if (c == '{') {
          depth++;
        } else if (c == '}' && --depth == 0) {
          break;
        }
      }
      sb.append(s, at + 2, Math.min(k, s.length())).append(' ');
      at = s.indexOf("#{", k);
    }
    return sb.toString();
  }
}
