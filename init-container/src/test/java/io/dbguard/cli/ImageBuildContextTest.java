package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Both images build from the repository root, and {@code .dockerignore} sends the builder only the
 * files it lists: every file a Dockerfile COPYs from the context must be one of them, or the image
 * build fails ("not found") — there is no Docker engine in the test environment to find out.
 */
class ImageBuildContextTest {
  private static final Pattern ARG = Pattern.compile("^ARG\\s+(\\w+)=(\\S*)\\s*$");
  private static final Pattern COPY = Pattern.compile("^COPY\\s+(.*)$");

  @Test
  void everyFileTheDockerfilesCopyIsSentToTheBuilder() throws Exception {
    Path root = CliDocsTest.repoRoot();
    List<String> ignore = Files.readAllLines(root.resolve(".dockerignore"));
    List<String> copied = new ArrayList<>();
    for (String image : List.of("operator/Dockerfile", "init-container/Dockerfile")) {
      copied.addAll(contextSources(Files.readAllLines(root.resolve(image))));
    }
    assertThat(copied)
        .contains("init-container/target/dbguard.jar", "operator/target/dbguard-operator.jar");
    for (String source : copied) {
      assertThat(sentToBuilder(ignore, source))
          .as("%s is COPYed by a Dockerfile but excluded by .dockerignore", source)
          .isTrue();
    }
  }

  @Test
  void theCheckSeesAnExcludedFile() {
    List<String> ignore = List.of("*", "!init-container/target/dbguard.jar");
    assertThat(sentToBuilder(ignore, "init-container/target/dbguard.jar")).isTrue();
    assertThat(sentToBuilder(ignore, "init-container/dbguard-cds.sh")).isFalse();
  }

  /** COPY sources from the build context (not {@code --from=} stages), ARG defaults resolved. */
  static List<String> contextSources(List<String> dockerfile) {
    Map<String, String> args = new HashMap<>();
    List<String> out = new ArrayList<>();
    for (String line : dockerfile) {
      Matcher a = ARG.matcher(line.strip());
      if (a.matches()) {
        args.put(a.group(1), a.group(2));
      }
      Matcher c = COPY.matcher(line.strip());
      if (c.matches()) {
        List<String> words = new ArrayList<>(List.of(c.group(1).trim().split("\\s+")));
        if (words.stream().anyMatch(w -> w.startsWith("--from"))) {
          continue;
        }
        words.removeIf(w -> w.startsWith("--"));
        for (String w : words.subList(0, words.size() - 1)) {
          for (var e : args.entrySet()) {
            w =
                w.replace("${" + e.getKey() + "}", e.getValue())
                    .replace("$" + e.getKey(), e.getValue());
          }
          out.add(w);
        }
      }
    }
    return out;
  }

  /** The last {@code .dockerignore} pattern that matches decides; {@code !} re-includes. */
  static boolean sentToBuilder(List<String> ignore, String path) {
    boolean sent = true;
    for (String line : ignore) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean include = p.startsWith("!");
      String glob = include ? p.substring(1) : p;
      boolean matches =
          glob.equals("*")
              || FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path));
      if (matches) {
        sent = include;
      }
    }
    return sent;
  }
}
