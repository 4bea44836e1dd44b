package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.model.FileKind;
import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rake task that writes rows ({@code lib/tasks/seed_roles.rake}) is Ruby that Rails runs like a
 * seed: {@code seeds check} analyses a {@code .rake} file given as a path or found in a directory
 * it is given, judging the task bodies as seed code, with the models of the application read from
 * the parent of {@code lib/}. {@code lint DIR} analyses a {@code .rake} file as a seed when its
 * path names {@code seed} and lists any other as skipped. Every example was written for this test.
 */
class RakeSeedTaskTest {

  @TempDir Path root;

  private Path rake(String name, String src) throws Exception {
    Path f = root.resolve("lib/tasks").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
    return f;
  }

  private SeedClassification check(Path f) throws Exception {
    List<SeedClassification> seeds =
        new SeedAnalyzer().analyze(List.of(f), AnalysisOptions.defaults()).seeds();
    assertThat(seeds).as(f.toString()).hasSize(1);
    return seeds.get(0);
  }

  private static String task(String body) {
    return "namespace :db do\n  desc 'Seed the roles'\n  task seed_roles: :environment do\n"
        + body
        + "  end\nend\n";
  }

  @Test
  void aRakeTaskIsJudgedAsSeedCode() throws Exception {
    // seen failing before the change: seeds check read 0 files
    assertThat(
            check(rake("a.rake", task("    Role.find_or_create_by!(name: 'admin')\n")))
                .idempotency())
        .isEqualTo(Idempotency.IDEMPOTENT);
    assertThat(check(rake("b.rake", task("    Role.create!(name: 'admin')\n"))).idempotency())
        .isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(
            check(rake("c.rake", task("    Role.destroy_all\n    Role.create!(name: 'a')\n")))
                .idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(check(rake("d.rake", task("    Role.delete_all\n"))).idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(
            check(
                    rake(
                        "e.rake",
                        task("    ActiveRecord::Base.connection.execute('TRUNCATE roles')\n")))
                .idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
    // the hash-rocket form and several tasks in one file
    String two =
        "namespace :seed do\n"
            + "  task :roles => :environment do\n    Role.find_or_create_by!(name: 'a')\n  end\n"
            + "  task :users => [:environment] do\n    User.create!(email: 'a@b.c')\n  end\n"
            + "  task all: :environment do\n"
            + "    Rake::Task['seed:roles'].invoke\n    Rake::Task['seed:users'].invoke\n"
            + "  end\nend\n";
    SeedClassification c = check(rake("f.rake", two));
    assertThat(c.idempotency()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(c.reason()).contains("User.create!");
  }

  @Test
  void invokingATaskOfTheSameFileIsJudgedByThatTasksBody() throws Exception {
    String file =
        "namespace :seed do\n"
            + "  task roles: :environment do\n    Role.find_or_create_by!(name: 'a')\n  end\n"
            + "  task all: :environment do\n    Rake::Task['seed:roles'].invoke\n  end\nend\n";
    assertThat(check(rake("g.rake", file)).idempotency()).isEqualTo(Idempotency.IDEMPOTENT);
    // a task of another file is not read: unknown, as in a seed
    String other = "task all: :environment do\n  Rake::Task['db:seed_users'].invoke\nend\n";
    assertThat(check(rake("h.rake", other)).idempotency()).isEqualTo(Idempotency.UNKNOWN);
  }

  @Test
  void aRakeTaskThatWritesNothingIsNotNonIdempotent() throws Exception {
    Path none = rake("report.rake", task("    puts Role.count\n    Rails.logger.info('ok')\n"));
    SeedClassification c = check(none);
    assertThat(c.idempotency()).isNotIn(Idempotency.NON_IDEMPOTENT, Idempotency.DESTRUCTIVE);
    // as the same body in a seed file
    Path rb = root.resolve("db/seeds/report.rb");
    Files.createDirectories(rb.getParent());
    Files.writeString(rb, "puts Role.count\nRails.logger.info('ok')\n");
    assertThat(c.idempotency()).isEqualTo(new SeedAnalyzer().classify(rb).idempotency());
  }

  @Test
  void seedsCheckFindsRakeFilesInADirectoryAndReadsTheModelsFromTheAppRoot() throws Exception {
    Path model = root.resolve("app/models/admin/role.rb");
    Files.createDirectories(model.getParent());
    Files.writeString(
        model,
        "class Admin::Role < ApplicationRecord\n  validates :name, uniqueness: true\n"
            + "  def self.reset\n    delete_all\n  end\nend\n");
    rake("roles.rake", task("    Admin::Role.create(name: 'admin')\n"));
    rake("reset.rake", task("    Admin::Role.reset\n"));
    List<SeedClassification> seeds =
        new SeedAnalyzer()
            .analyze(List.of(root.resolve("lib/tasks")), AnalysisOptions.defaults())
            .seeds();
    assertThat(seeds).hasSize(2);
    SeedClassification reset =
        seeds.stream().filter(s -> s.file().endsWith("reset.rake")).findFirst().orElseThrow();
    SeedClassification roles =
        seeds.stream().filter(s -> s.file().endsWith("roles.rake")).findFirst().orElseThrow();
    assertThat(reset.idempotency()).isEqualTo(Idempotency.DESTRUCTIVE);
    assertThat(reset.reason()).contains("app/models/admin/role.rb:4");
    assertThat(roles.idempotency()).isEqualTo(Idempotency.IDEMPOTENT);
    // a task in a directory named db below lib/tasks reads the same models
    Path nested = rake("db/seed_admins.rake", task("    Admin::Role.reset\n"));
    assertThat(check(nested).reason()).contains("app/models/admin/role.rb:4");
    // a class the task hands its work to is read from where Rails autoloads it
    Path seeder = root.resolve("app/services/role_seeder.rb");
    Files.createDirectories(seeder.getParent());
    Files.writeString(
        seeder, "class RoleSeeder\n  def self.seed!\n    Role.delete_all\n  end\nend\n");
    assertThat(check(rake("seeder.rake", task("    RoleSeeder.seed!\n"))).idempotency())
        .isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void lintAnalysesARakeFileNamingSeedAndListsTheOthersAsSkipped() throws Exception {
    rake("seed_roles.rake", task("    Role.delete_all\n"));
    rake("cache.rake", "task clear: :environment do\n  Role.delete_all\nend\n");
    AnalysisReport r =
        new Analyzer().analyze(List.of(root.resolve("lib")), AnalysisOptions.defaults());
    assertThat(r.files())
        .anySatisfy(
            f -> {
              assertThat(f.path()).endsWith("seed_roles.rake");
              assertThat(f.kind()).isEqualTo(FileKind.SEED_RUBY);
            })
        .anySatisfy(
            f -> {
              assertThat(f.path()).endsWith("cache.rake");
              assertThat(f.kind()).isEqualTo(FileKind.SKIPPED);
            });
    assertThat(r.findings()).extracting(Finding::ruleId).containsExactly("DBG301");
  }
}
