package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rails seeds that delete through a model (issue 13): any {@code destroy}/{@code delete} call on a
 * model, relation or record, a class method of the model whose body in {@code app/models} deletes,
 * and a method named {@code delete_*}/{@code destroy_*}/{@code remove_*} when the model's source is
 * not beside {@code db/}; and {@code create} without {@code !}, which adds nothing on a rerun when
 * the model validates the uniqueness of an attribute it is given. Examples written for this test.
 */
class RailsSeedModelsTest {

  @TempDir Path root;

  private SeedClassification seed(String name, String src) throws Exception {
    Path f = root.resolve("db/seeds").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
    return new SeedAnalyzer().classify(f);
  }

  private void model(String file, String src) throws Exception {
    Path f = root.resolve("app/models").resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
  }

  @Test
  void destroyingThroughARelationOrARecordIsDestructive() throws Exception {
    assertThat(seed("a.rb", "Post.where(draft: true).each(&:destroy)\n").idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(
            seed("b.rb", "legacy = Role.find_by(name: \"legacy\")\nlegacy&.destroy\n")
                .idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(
            seed("c.rb", "Tag.where(uses: 0).find_each do |t|\n  t.destroy!\nend\n").idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(seed("d.rb", "Session.find_each(&:delete)\n").idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void aMethodNamedForDeletingIsDestructiveWhenItsBodyIsNotKnown() throws Exception {
    for (String call :
        new String[] {
          "Session.destroy_expired",
          "User.remove_guests!",
          "Upload.delete_orphans(7)",
          "team = Team.find_by(name: \"ops\")\nteam.remove_members"
        }) {
      SeedClassification c = seed("named.rb", call + "\nRole.find_or_create_by!(name: \"a\")\n");
      assertThat(c.idempotency()).as(call).isEqualTo(Idempotency.DESTRUCTIVE);
      assertThat(c.reason()).as(call).contains(call.replaceAll("\\(.*", "").replaceAll(".*\n", ""));
    }
    // Ruby's own methods named like deletes delete no rows
    assertThat(
            seed(
                    "ruby.rb",
                    "names = %w[a b]\nnames.delete_if { |n| n.empty? }\n"
                        + "FileUtils.remove_dir(\"tmp/seed\")\n")
                .idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
  }

  @Test
  void aClassMethodOfTheModelIsJudgedByItsBody() throws Exception {
    model(
        "role.rb",
        "class Role < ApplicationRecord\n"
            + "  def self.reset_builtin\n"
            + "    where(builtin: true).delete_all\n"
            + "  end\n\n"
            + "  def self.remove_default_flag\n"
            + "    where(default: true).update_all(default: false)\n"
            + "  end\n"
            + "end\n");
    SeedClassification wipes = seed("wipes.rb", "Role.reset_builtin\n");
    assertThat(wipes.idempotency()).isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(wipes.reason()).contains("Role.reset_builtin").contains("app/models/role.rb");
    assertThat(seed("keeps.rb", "Role.remove_default_flag\n").idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
  }

  @Test
  void createWithoutBangIsIdempotentOnAnAttributeValidatedUnique() throws Exception {
    model(
        "country.rb",
        "class Country < ApplicationRecord\n"
            + "  validates :code, presence: true, uniqueness: true\n"
            + "end\n");
    model(
        "category.rb",
        "class Category < ApplicationRecord\n  validates_uniqueness_of :slug\nend\n");
    assertThat(
            seed(
                    "countries.rb",
                    "Country.create(code: \"FR\", name: \"France\")\n"
                        + "Category.create([{slug: \"news\"}, {slug: \"blog\"}])\n")
                .idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
    // another attribute, create! (raises on the second run) and an unknown model stay DBG302
    assertThat(seed("names.rb", "Country.create(name: \"France\")\n").idempotency())
        .isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(seed("bang.rb", "Country.create!(code: \"FR\")\n").idempotency())
        .isEqualTo(Idempotency.NON_IDEMPOTENT);
    SeedClassification unknown = seed("plans.rb", "Plan.create(name: \"Free\")\n");
    assertThat(unknown.idempotency()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(unknown.reason()).contains("uniqueness validation");
  }
}
