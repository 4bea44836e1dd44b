package io.dbguard.core.analysis.guard;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of the dangerous-command list (docs/design.md §3 "validate"). An entry matches a simple
 * command when its program (after stripping paths, environment prefixes and wrappers such as {@code
 * bundle exec}, {@code npx}, {@code python}) is one of {@link #tools()} (or any program when {@code
 * tools} is empty), its leading positional words match {@link #words()} in order, every pattern of
 * {@link #anyArgs()} fully matches at least one argument, and {@link #text()} (when set) is found
 * in the joined command text. All patterns are case-insensitive.
 *
 * @param id stable id, {@code DBG0nn}
 * @param name short kebab-case name
 * @param tools lower-case program basenames; empty = any program
 * @param words patterns for the leading positional (non-flag) arguments
 * @param anyArgs patterns each of which must match one argument
 * @param text pattern searched in the whole simple command, or {@code null}
 * @param reason why the command destroys data, shown to the user
 * @param examples commands that must match this entry (tested)
 */
public record DangerousCommand(
    String id,
    String name,
    Set<String> tools,
    List<Pattern> words,
    List<Pattern> anyArgs,
    Pattern text,
    String reason,
    List<String> examples) {

  /**
   * Whether this entry matches {@code program} invoked with {@code args}.
   *
   * @param program the normalised program name (lower case basename)
   * @param args the arguments after the program
   */
  public boolean matches(String program, List<String> args) {
    if (!tools.isEmpty() && !tools.contains(program)) {
      return false;
    }
    List<String> positional =
        args.stream()
            .filter(a -> !a.startsWith("-") && !a.matches("[A-Za-z_][A-Za-z0-9_]*=.*"))
            .toList();
    if (positional.size() < words.size()) {
      return false;
    }
    for (int i = 0; i < words.size(); i++) {
      if (!words.get(i).matcher(stripTaskArgs(positional.get(i))).matches()) {
        return false;
      }
    }
    for (Pattern p : anyArgs) {
      if (args.stream().noneMatch(a -> p.matcher(stripTaskArgs(a)).matches())) {
        return false;
      }
    }
    if (text != null) {
      String joined = program + " " + String.join(" ", args);
      return text.matcher(joined).find();
    }
    return true;
  }

  /** {@code db:drop[foo]} → {@code db:drop} (rake task arguments). */
  private static String stripTaskArgs(String arg) {
    int bracket = arg.indexOf('[');
    return bracket > 0 && arg.endsWith("]") ? arg.substring(0, bracket) : arg;
  }
}
