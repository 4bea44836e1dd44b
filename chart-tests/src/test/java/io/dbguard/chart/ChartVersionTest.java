package io.dbguard.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbguard.testcluster.TestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The chart deploys the operator this tree builds: its {@code appVersion} (the default tag of both
 * images) is the Maven project version, the one {@code dbguard --version} and the operator's
 * start-up line print. And the CRD upgrade command the docs give is the one {@code CrdUpgradeIT}
 * proves, before {@code helm upgrade}.
 */
class ChartVersionTest {
  static final String CRD_UPGRADE = "kubectl apply --server-side --force-conflicts -f crds/";

  /** The {@code <version>} of the root {@code pom.xml}'s project. */
  static String mavenVersion() {
    try {
      var doc =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(TestCluster.repoRoot().resolve("pom.xml").toFile());
      for (Node n = doc.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals("version")) {
          return e.getTextContent().trim();
        }
      }
      throw new AssertionError("pom.xml has no project version");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void appVersionIsTheMavenProjectVersion() throws Exception {
    JsonNode chart =
        new ObjectMapper(new YAMLFactory())
            .readTree(ChartFixture.chartDir().resolve("Chart.yaml").toFile());
    assertThat(mavenVersion()).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(chart.get("appVersion").asText()).isEqualTo(mavenVersion());
  }

  @Test
  void installDocsApplyTheCrdsServerSideWithForceConflictsBeforeHelmUpgrade() throws Exception {
    for (Path doc :
        List.of(
            TestCluster.repoRoot().resolve("docs/install.md"),
            ChartFixture.chartDir().resolve("README.md"))) {
      String text = Files.readString(doc);
      String section = text.substring(text.indexOf("## Upgrading"));
      int apply = section.indexOf(CRD_UPGRADE + "\nhelm upgrade ");
      assertThat(apply)
          .as("%s: '%s' right before 'helm upgrade'", doc, CRD_UPGRADE)
          .isNotNegative();
      // no other, weaker CRD apply command anywhere in the file
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("kubectl apply --server-side(?! --force-conflicts)")
              .matcher(text);
      assertThat(m.find()).as("%s: a server-side apply without --force-conflicts", doc).isFalse();
    }
  }
}
