package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A namespaced model constant ({@code Admin::User}, {@code Tasks::Models::TaskedExercise}, {@code
 * ::User}) is a model receiver exactly as a plain {@code User} is: in a migration its {@code
 * update_all}/{@code delete_all}/{@code destroy_all}, batch and row loops and {@code where} chains
 * are judged as on the plain model, and in a seed the model's source is read where Rails autoloads
 * it ({@code app/models/admin/user.rb}). Constants that are not model calls ({@code Foo::BAR.each},
 * {@code Rails.logger}, {@code ActiveRecord::Base.connection}) keep their verdicts. Every example
 * was written for this test.
 */
class RailsNamespacedModelTest {

  @TempDir Path root;

  private int migrations;

  private List<String> migration(String body) throws Exception {
    migrations++;
    return AnalysisFiles.ruleIds(
        AnalysisFiles.write(
            root,
            "m" + migrations + "/db/migrate/20240501000000_fix_rows.rb",
            "class FixRows < ActiveRecord::Migration[7.1]\n  def up\n" + body + "  end\nend\n"));
  }

  /** Pairs of a plain model's call and the same call on a namespaced model. */
  private static final String[][] PAIRS = {
    {
      "    Grant.update_all(scopes: 'all')\n",
      "    Doorkeeper::AccessGrant.update_all(scopes: 'all')\n"
    },
    {
      "    Grant.in_batches.update_all scopes: 'all'\n",
      "    Doorkeeper::AccessGrant.in_batches.update_all scopes: 'all'\n"
    },
    {
      "    TaskedExercise.unscoped.update_all('free_response = left(free_response, 10000)')\n",
      "    Tasks::Models::TaskedExercise.unscoped.update_all('free_response = left(free_response,"
          + " 10000)')\n"
    },
    {"    User.delete_all\n", "    ::User.delete_all\n"},
    {"    User.delete_all\n", "    ::Admin::User.delete_all\n"},
    {"    User.all.destroy_all\n", "    Admin::User.all.destroy_all\n"},
    {
      "    User.update_all('full_name = first_name')\n",
      "    Admin::User.update_all('full_name = first_name')\n"
    },
    {
      "    Widget.in_batches(of: 500) do |relation|\n      relation.update_all(state: 'new')\n"
          + "    end\n",
      "    Shop::Widget.in_batches(of: 500) do |relation|\n"
          + "      relation.update_all(state: 'new')\n    end\n"
    },
    {
      "    Widget.find_each { |w| w.update!(state: 'new') }\n",
      "    Foo::Bar.find_each { |w| w.update!(state: 'new') }\n"
    },
    {
      "    Widget.find_each do |w|\n      w.update_column(:state, 'new')\n    end\n",
      "    Shop::Catalog::Widget.find_each do |w|\n      w.update_column(:state, 'new')\n    end\n"
    },
  };

  @Test
  void everyCallOnANamespacedModelIsJudgedAsOnAPlainOne() throws Exception {
    // seen failing before the change: the namespaced calls found nothing
    for (String[] pair : PAIRS) {
      List<String> plain = migration(pair[0]);
      assertThat(plain).as(pair[0]).isNotEmpty();
      assertThat(migration(pair[1])).as(pair[1]).isEqualTo(plain);
    }
    assertThat(migration("    Doorkeeper::AccessGrant.in_batches.update_all scopes: 'all'\n"))
        .containsExactly("DBG112");
    assertThat(migration("    Admin::User.update_all('full_name = first_name')\n"))
        .containsExactly("DBG223");
  }

  @Test
  void scopedChainsOnANamespacedModelStayScoped() throws Exception {
    for (String body :
        new String[] {
          "    Admin::User.where(x: nil).update_all(x: 1)\n",
          "    Admin::User.where(x: nil).delete_all\n",
          "    ::Admin::User.where(x: nil).in_batches.update_all(x: 1)\n",
          "    Tasks::Models::TaskedExercise.unscoped.where(id: 5).update_all('a = 1')\n",
        }) {
      String plain = body.replace("Tasks::Models::TaskedExercise", "Te").replace("::Admin::", "");
      plain = plain.replace("Admin::", "");
      assertThat(migration(body)).as(body).isEqualTo(migration(plain));
      assertThat(migration(body)).as(body).doesNotContain("DBG112", "DBG111");
    }
  }

  @Test
  void constantsThatAreNotModelCallsKeepTheirVerdicts() throws Exception {
    assertThat(migration("    Foo::BAR.each { |x| puts x }\n")).isEmpty();
    assertThat(migration("    Rails.logger.info('done')\n")).isEmpty();
    assertThat(migration("    Foo::Bar.configure(x: 1)\n")).isEmpty();
    assertThat(
            migration(
                "    ActiveRecord::Base.connection.execute(\"UPDATE users SET role = 'x'\")\n"))
        .containsExactly("DBG112");
    assertThat(migration("    ActiveRecord::Base.connection.execute('SELECT 1')\n")).isEmpty();
  }

  // ---- seeds ----

  private SeedClassification seed(String name, String src) throws Exception {
    Path f = root.resolve("app1/db/seeds").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
    return new SeedAnalyzer().classify(f);
  }

  private void model(String file, String src) throws Exception {
    Path f = root.resolve("app1/app/models").resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
  }

  @Test
  void aSeedReadsANamespacedModelWhereRailsAutoloadsIt() throws Exception {
    model(
        "subject.rb",
        "class Subject < ApplicationRecord\n  validates :name, uniqueness: true\nend\n");
    model(
        "bookings/subject.rb",
        "module Bookings\n  class Subject < ApplicationRecord\n"
            + "    validates :name, uniqueness: true\n  end\nend\n");
    model(
        "admin/role.rb",
        "class Admin::Role < ApplicationRecord\n"
            + "  def self.reset_builtin\n    where(builtin: true).delete_all\n  end\n"
            + "  def self.defaults\n    find_or_create_by!(name: 'admin')\n  end\nend\n");
    model(
        "admin/user.rb",
        "class Admin::User < ApplicationRecord\n  has_many :roles, through: :grants\nend\n");
    // seen failing before the change: the validation of app/models/bookings/subject.rb was not read
    assertThat(seed("a.rb", "Subject.create(name: 'x')\n").idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
    SeedClassification ns = seed("b.rb", "Bookings::Subject.create(name: 'x')\n");
    assertThat(ns.idempotency()).isEqualTo(Idempotency.IDEMPOTENT);
    assertThat(ns.reason()).contains("app/models/bookings/subject.rb");
    assertThat(seed("c.rb", "::Bookings::Subject.create(name: 'x')\n").idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
    // a class method's body in app/models/admin/role.rb (seen failing: a guess by its name)
    SeedClassification reset = seed("d.rb", "Admin::Role.reset_builtin\n");
    assertThat(reset.idempotency()).isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(reset.reason()).contains("app/models/admin/role.rb:3");
    assertThat(
            seed("e.rb", "Admin::Role.defaults\nAdmin::Role.find_or_create_by!(name: 'a')\n")
                .idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
    // a has-many association app/models/admin/user.rb declares (seen failing: read user.rb)
    assertThat(
            seed(
                    "f.rb",
                    "user = Admin::User.find(1)\nuser.roles.delete(Role.first)\n"
                        + "Role.find_or_create_by!(name: 'a')\n")
                .idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void seedCallsOnANamespacedModelAreJudgedAsOnAPlainOne() throws Exception {
    String[][] cases = {
      {"Admin::Role.find_or_create_by!(name: 'a')\n", "IDEMPOTENT"},
      {"::Admin::Role.find_or_create_by!(name: 'a')\n", "IDEMPOTENT"},
      {"Admin::Role.create!(name: 'a')\n", "NON_IDEMPOTENT"},
      {"Admin::Role.create(name: 'a')\n", "NON_IDEMPOTENT"},
      {"Admin::Role.delete_all\nAdmin::Role.create!(name: 'a')\n", "DESTRUCTIVE"},
      {"Admin::Role.where(x: 1).destroy_all\n", "DESTRUCTIVE"},
      {"Admin::Role.delete(3)\n", "DESTRUCTIVE"},
      {"Admin::Role.truncate\n", "DESTRUCTIVE"},
      {"Admin::Role.destroy_stale\n", "DESTRUCTIVE"},
    };
    for (String[] c : cases) {
      assertThat(seed("n.rb", c[0]).idempotency()).as(c[0]).hasToString(c[1]);
      String plain = c[0].replace("::Admin::", "").replace("Admin::", "");
      assertThat(seed("p.rb", plain).idempotency()).as(plain).hasToString(c[1]);
    }
  }

  @Test
  void seedConstantsThatAreNotModelsDeleteNothing() throws Exception {
    String create = "Role.find_or_create_by!(name: 'a')\n";
    for (String s :
        new String[] {
          "Foo::BAR.each { |x| puts x }\n",
          "Foo::DEFAULTS.delete(:legacy)\n",
          "Rails.logger.info('seeding')\n",
          "Rails.cache.delete('roles')\n",
          "Faker::Name.name\n",
          "Faker::Lorem.words.delete('x')\n",
          "ActiveSupport::Notifications.instrument('seed')\n",
        }) {
      assertThat(seed("v.rb", s + create).idempotency()).as(s).isEqualTo(Idempotency.IDEMPOTENT);
    }
    assertThat(
            seed("t.rb", "ActiveRecord::Base.connection.execute('TRUNCATE roles')\n" + create)
                .idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(
            seed("u.rb", "ActiveRecord::Base.connection.truncate('roles')\n" + create)
                .idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
  }
}
