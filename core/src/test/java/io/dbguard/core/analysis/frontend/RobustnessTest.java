package io.dbguard.core.analysis.frontend;

import static org.assertj.core.api.Assertions.assertThatCode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Front ends must never throw: every corpus file, and every prefix of it cut at 23-character steps
 * (unterminated strings, heredocs, blocks, dollar quotes), is fed to every front end.
 */
class RobustnessTest {

  @Test
  void everyFrontEndAcceptsEveryCorpusFileAndEveryTruncation() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.walk(Path.of("src/test/resources/corpus"))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    for (Path f : files) {
      String text = Files.readString(f);
      for (int cut = text.length(); cut >= 0; cut -= 23) {
        String src = text.substring(0, cut);
        assertThatCode(
                () -> {
                  new SqlFrontEnd("postgresql").parse(src, 1);
                  new SqlFrontEnd("sqlite").parse(src, 1);
                  new RubyFrontEnd(false).parse(src);
                  new RubyFrontEnd(true).parse(src);
                  new DjangoFrontEnd("app", false).parse(src);
                  new DjangoFrontEnd("app", true).parse(src);
                })
            .as(f + " cut at " + cut)
            .doesNotThrowAnyException();
      }
    }
  }
}
