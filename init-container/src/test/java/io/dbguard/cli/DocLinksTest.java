package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The project stands on its own: every relative link in its Markdown resolves to a file inside the
 * repository, and no source or doc cites a design document outside it.
 */
class DocLinksTest {

  static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s#]+)(#[^)\\s]*)?\\)");
  static final Pattern OUTSIDE = Pattern.compile("DESIGN(\\.md| §)|shared/reference");

  @Test
  void relativeLinksResolveInsideTheRepository() throws IOException {
    Path root = CliDocsTest.repoRoot();
    List<String> broken = new ArrayList<>();
    for (Path md : files(root, ".md")) {
      // code spans (e.g. a regular expression in a table) are not links
      Matcher m = LINK.matcher(Files.readString(md).replaceAll("`[^`\n]*`", ""));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:
        }
        Path resolved = md.getParent().resolve(target).normalize();
        if (!resolved.startsWith(root) || !Files.exists(resolved)) {
          broken.add(root.relativize(md) + " → " + target);
        }
      }
    }
    assertThat(broken).isEmpty();
  }

  @Test
  void nothingCitesADesignOutsideTheRepository() throws IOException {
    Path root = CliDocsTest.repoRoot();
    List<String> citing = new ArrayList<>();
    for (String ext : List.of(".md", ".java", ".yaml", ".txt", ".sh")) {
      for (Path f : files(root, ext)) {
        if (f.endsWith("DocLinksTest.java")) {
          continue;
        }
        String text = Files.readString(f);
        if (OUTSIDE.matcher(text).find()) {
          citing.add(root.relativize(f).toString());
        }
      }
    }
    assertThat(citing).isEmpty();
  }

  static List<Path> files(Path root, String ext) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(ext))
          .filter(
              p -> !root.relativize(p).toString().matches("(^|.*/)(target|\\..*|node_modules)/.*"))
          .toList();
    }
  }
}
