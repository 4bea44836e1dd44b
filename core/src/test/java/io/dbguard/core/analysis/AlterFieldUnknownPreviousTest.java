package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.rules.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django {@code AlterField} whose previous field no earlier migration in the directory declares
 * cannot be judged: most such operations change nothing in the database ({@code blank}, {@code
 * verbose_name}, {@code default}), relax {@code null} or widen {@code max_length}. It is a review
 * notice (DBG224), not a rewrite warning; with the earlier migrations present the change is judged
 * as before. Examples written for this test (issue 13, item 2).
 */
class AlterFieldUnknownPreviousTest {

  @TempDir Path dir;

  private List<Finding> analyze(String name, String src) throws Exception {
    Path migrations = dir.resolve("orchard/migrations");
    Files.createDirectories(migrations);
    Path f = migrations.resolve(name);
    Files.writeString(f, src);
    return new Analyzer().analyze(List.of(f), AnalysisOptions.defaults()).findings();
  }

  private static String alter(String field) {
    return """
        from django.db import migrations, models


        class Migration(migrations.Migration):
            dependencies = [("orchard", "0011_previous")]

            operations = [
                migrations.AlterField(
                    model_name="tree",
                    name="label",
                    field=%s,
                ),
            ]
        """
        .formatted(field);
  }

  @Test
  void alterFieldWithUnknownPreviousFieldIsANoticeNotARewrite() throws Exception {
    for (String field :
        List.of(
            "models.CharField(max_length=120, blank=True, verbose_name=\"Label\")",
            "models.IntegerField(null=True, blank=True)",
            "models.DateTimeField(auto_now_add=True)",
            "models.TextField(default=\"\", help_text=\"shown on the card\")")) {
      List<Finding> got = analyze("0012_alter_tree_label.py", alter(field));
      assertThat(got).as(field).extracting(Finding::ruleId).containsExactly("DBG224");
      assertThat(got.get(0).verdict()).isEqualTo(Verdict.NOTICE);
      assertThat(got.get(0).message()).contains("orchard_tree.label");
    }
  }

  @Test
  void withTheEarlierMigrationPresentTheChangeIsStillJudged() throws Exception {
    Path migrations = dir.resolve("orchard/migrations");
    Files.createDirectories(migrations);
    Files.writeString(
        migrations.resolve("0011_previous.py"),
        """
        from django.db import migrations, models


        class Migration(migrations.Migration):
            operations = [
                migrations.CreateModel(
                    name="Tree",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True)),
                        ("label", models.CharField(max_length=50)),
                    ],
                ),
            ]
        """);
    assertThat(analyze("0012_alter_tree_label.py", alter("models.IntegerField()")))
        .extracting(Finding::ruleId)
        .containsExactly("DBG108");
    assertThat(analyze("0012_alter_tree_label.py", alter("models.CharField(max_length=80)")))
        .isEmpty();
  }
}
