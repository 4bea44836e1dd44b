package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dbguard.core.analysis.Analyzer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LintCommandTest {

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new DbguardCommand());
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private Path file(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    return p;
  }

  @Test
  void exitCodesSeparateRefuseWarnAndClean() throws Exception {
    Path refuse = file("V1__drop.sql", "DROP TABLE users;\n");
    Path warn = file("V2__index.sql", "CREATE INDEX i ON orders (x);\n");
    Path clean = file("V3__ok.sql", "ALTER TABLE orders ADD COLUMN note text;\n");
    assertThat(run("lint", refuse.toString()).exit()).isEqualTo(2);
    assertThat(run("lint", warn.toString()).exit()).isEqualTo(0);
    assertThat(run("lint", "--fail-on", "warn", warn.toString()).exit()).isEqualTo(1);
    assertThat(run("lint", "--fail-on", "warn", clean.toString()).exit()).isEqualTo(0);
    assertThat(run("lint", dir.resolve("missing.sql").toString()).exit()).isEqualTo(4);
    assertThat(run("lint", "--format", "xml", clean.toString()).exit()).isEqualTo(4);
  }

  @Test
  void terminationLogCarriesTheCountsPerLevel() throws Exception {
    Path refuse = file("V1__drop.sql", "DROP TABLE users;\n");
    file("V2__index.sql", "CREATE INDEX i ON orders (x);\n");
    Path log = dir.resolve("termination-log");
    Run r = run("lint", dir.toString(), "--output", "json", "--termination-log", log.toString());
    assertThat(r.exit()).isEqualTo(2);
    io.dbguard.core.report.StepResult result =
        io.dbguard.core.report.StepResult.parse(Files.readString(log));
    assertThat(result.step()).isEqualTo("analyze");
    assertThat(result.exitCode()).isEqualTo(2);
    assertThat(result.reason()).isEqualTo("Blocked");
    assertThat(result.details())
        .containsEntry("refuse", "1")
        .containsEntry("warn", "1")
        .containsEntry("notice", "0")
        .containsEntry("acknowledged", "0");
    assertThat(result.message()).startsWith("1 refused (DBG101");

    Files.delete(refuse);
    Files.delete(log);
    assertThat(run("lint", dir.toString(), "--termination-log", log.toString()).exit()).isZero();
    result = io.dbguard.core.report.StepResult.parse(Files.readString(log));
    assertThat(result.reason()).isEqualTo("AnalysisPassed");
    assertThat(result.details()).containsEntry("refuse", "0").containsEntry("warn", "1");
  }

  @Test
  void textNamesFileLineRuleAndVerdict() throws Exception {
    Path refuse = file("V1__drop.sql", "-- cleanup\nDROP TABLE users;\n");
    Run r = run("lint", refuse.toString());
    assertThat(r.out()).contains(refuse + ":2: refuse DBG101 drop-table: drops table users");
    assertThat(r.out()).contains("1 refused");
  }

  @Test
  void acknowledgementWithShaUnblocksAndIsReported() throws Exception {
    Path refuse = file("V1__drop.sql", "DROP TABLE users;\n");
    String sha = Analyzer.sha256(Files.readAllBytes(refuse));
    Run ok = run("lint", "--acknowledge", "DBG101:V1__drop.sql:" + sha, refuse.toString());
    assertThat(ok.exit()).isEqualTo(0);
    assertThat(ok.out()).contains("acknowledged refuse DBG101");
    Run stale =
        run("lint", "--acknowledge", "DBG101:V1__drop.sql:" + "0".repeat(64), refuse.toString());
    assertThat(stale.exit()).isEqualTo(2);
    assertThat(stale.out()).contains("DBG902").contains("SHA-256 changed");
    assertThat(run("lint", "--acknowledge", "nonsense", refuse.toString()).exit()).isEqualTo(4);
  }

  @Test
  void sarifHasTheRequiredStructure() throws Exception {
    Path refuse =
        file(
            "V1__drop.sql",
            "DROP TABLE users;\n-- dbguard:ignore DBG201 reviewed\nCREATE INDEX i ON t (x);\n");
    Run r = run("lint", "--format", "sarif", refuse.toString());
    JsonNode root = new ObjectMapper().readTree(r.out());
    assertThat(root.path("$schema").asText()).contains("sarif-2.1.0");
    assertThat(root.path("version").asText()).isEqualTo("2.1.0");
    JsonNode run = root.path("runs").get(0);
    JsonNode rules = run.path("tool").path("driver").path("rules");
    assertThat(rules.size()).isGreaterThan(30);
    assertThat(run.path("tool").path("driver").path("semanticVersion").asText())
        .isEqualTo(io.dbguard.core.DbguardVersion.current());
    JsonNode results = run.path("results");
    assertThat(results.size()).isEqualTo(2);
    JsonNode first = results.get(0);
    assertThat(first.path("ruleId").asText()).isEqualTo("DBG101");
    assertThat(first.path("level").asText()).isEqualTo("error");
    assertThat(rules.get(first.path("ruleIndex").asInt()).path("id").asText()).isEqualTo("DBG101");
    JsonNode loc = first.path("locations").get(0).path("physicalLocation");
    assertThat(loc.path("artifactLocation").path("uri").asText()).endsWith("V1__drop.sql");
    assertThat(loc.path("region").path("startLine").asInt()).isEqualTo(1);
    JsonNode second = results.get(1);
    assertThat(second.path("level").asText()).isEqualTo("warning");
    assertThat(second.path("suppressions").get(0).path("kind").asText()).isEqualTo("inSource");
  }

  @Test
  void githubAnnotations() throws Exception {
    Path refuse = file("db/V1__drop.sql", "DROP TABLE users;\nCREATE INDEX i ON t (x);\n");
    Run r = run("lint", "--format", "github", refuse.toString());
    assertThat(r.out())
        .contains(
            "::error file="
                + refuse.toString().replace(":", "%3A")
                + ",line=1,title=DBG101 drop-table::drops table users");
    assertThat(r.out()).contains("::warning file=").contains(",line=2,title=DBG201");
  }

  @Test
  void jsonListsFindingsAndSummary() throws Exception {
    Path refuse = file("V1__drop.sql", "DROP TABLE users;\n");
    JsonNode root =
        new ObjectMapper().readTree(run("lint", "--format", "json", refuse.toString()).out());
    assertThat(root.path("findings").get(0).path("rule").asText()).isEqualTo("DBG101");
    assertThat(root.path("findings").get(0).path("verdict").asText()).isEqualTo("refuse");
    assertThat(root.path("summary").path("blocking").asInt()).isEqualTo(1);
    assertThat(root.path("files").get(0).path("sha256").asText()).hasSize(64);
  }

  @Test
  void seedsCheckClassifiesAndChoosesProductionSeeds() throws Exception {
    file("app/db/seeds.rb", "Role.find_or_create_by!(name: 'admin')\n");
    file("app/db/seeds/production_seeds.rb", "Plan.delete_all\nPlan.create!(name: 'Free')\n");
    Run prod = run("seeds", "check", "--project", dir.resolve("app").toString());
    assertThat(prod.exit()).isEqualTo(2);
    assertThat(prod.out()).contains("production_seeds.rb: seed destructive");
    Run dev =
        run(
            "seeds",
            "check",
            "--environment",
            "development",
            "--project",
            dir.resolve("app").toString());
    assertThat(dev.exit()).isEqualTo(0);
    assertThat(dev.out()).contains("seeds.rb: seed idempotent");
    Path plain = file("seed.sql", "INSERT INTO plans (name) VALUES ('x');\n");
    Run warn = run("seeds", "check", "--fail-on", "notice", plain.toString());
    assertThat(warn.exit()).isEqualTo(1);
    assertThat(warn.out()).contains("seed non-idempotent");
    assertThat(run("seeds", "check").exit()).isEqualTo(4);
  }

  @Test
  void seedsCheckReadsTheModelsBesideDb() throws Exception {
    file(
        "shop/app/models/plan.rb",
        "class Plan < ApplicationRecord\n  validates :code, uniqueness: true\n\n"
            + "  def self.reset_trials\n    where(trial: true).destroy_all\n  end\nend\n");
    file("shop/db/seeds.rb", "Plan.create(code: 'free', name: 'Free')\n");
    Path project = dir.resolve("shop");
    Run clean = run("seeds", "check", "--project", project.toString());
    assertThat(clean.exit()).isEqualTo(0);
    assertThat(clean.out()).contains("seeds.rb: seed idempotent");
    file("shop/db/seeds.rb", "Plan.reset_trials\nPlan.create(code: 'free')\n");
    Run wipes = run("seeds", "check", "--project", project.toString());
    assertThat(wipes.exit()).isEqualTo(2);
    assertThat(wipes.out()).contains("seeds.rb: seed destructive").contains("app/models/plan.rb");
  }

  @Test
  void maxFileSizeRefusesALargerFileWithAUsageError() throws Exception {
    Path data = file("V1__data.sql", "INSERT INTO t VALUES (1);\n".repeat(100)); // 2600 bytes
    Run refused = run("lint", "--max-file-size", "1K", data.toString());
    assertThat(refused.exit()).isEqualTo(4);
    assertThat(refused.err()).contains("larger than the limit of 1024 bytes");
    assertThat(run("lint", "--max-file-size", "3k", data.toString()).exit()).isEqualTo(0);
    assertThat(run("lint", "--max-file-size", "2600", data.toString()).exit()).isEqualTo(0);
    Run bad = run("lint", "--max-file-size", "-5", data.toString());
    assertThat(bad.exit()).isEqualTo(4);
    assertThat(bad.err()).contains("--max-file-size must be a positive size");
  }

  @Test
  void aDeviceIsAUsageErrorNotAnOutOfMemoryError() {
    Run r = run("lint", "/dev/zero");
    assertThat(r.exit()).isEqualTo(4);
    assertThat(r.err()).contains("/dev/zero is not a regular file");
    assertThat(run("seeds", "check", "/dev/zero").exit()).isEqualTo(4);
  }

  @Test
  void threeLevelsMapToSarifLevelsAndFailOnChooses() throws Exception {
    Path f =
        file(
            "V1__mixed.sql",
            "DROP TABLE users;\nCREATE INDEX i ON orders (x);\n"
                + "DO $$ BEGIN EXECUTE format('SELECT %s', 1); END $$;\n");
    Run sarif = run("lint", "--output", "sarif", f.toString());
    assertThat(sarif.exit()).isEqualTo(2);
    JsonNode results = new ObjectMapper().readTree(sarif.out()).at("/runs/0/results");
    java.util.Map<String, String> levels = new java.util.HashMap<>();
    results.forEach(r -> levels.put(r.get("ruleId").asText(), r.get("level").asText()));
    assertThat(levels)
        .containsEntry("DBG101", "error")
        .containsEntry("DBG201", "warning")
        .containsEntry("DBG901", "note");

    Path noticeOnly = file("V2__do.sql", "DO $$ BEGIN EXECUTE format('SELECT %s', 1); END $$;\n");
    assertThat(run("lint", noticeOnly.toString()).exit()).isEqualTo(0);
    assertThat(run("lint", "--fail-on", "warn", noticeOnly.toString()).exit()).isEqualTo(0);
    assertThat(run("lint", "--fail-on", "notice", noticeOnly.toString()).exit()).isEqualTo(1);
    Path warnOnly = file("V3__index.sql", "CREATE INDEX j ON orders (y);\n");
    assertThat(run("lint", "--fail-on", "notice", warnOnly.toString()).exit()).isEqualTo(1);
    assertThat(run("lint", "--fail-on", "loud", warnOnly.toString()).exit()).isEqualTo(4);
    Run text = run("lint", noticeOnly.toString());
    assertThat(text.out()).contains("notice DBG901").contains("1 notice(s)");
    // --format stays as a deprecated alias of --output
    assertThat(run("lint", "--format", "json", noticeOnly.toString()).out())
        .contains("\"notices\"");
    assertThat(run("seeds", "check", "--output", "json", noticeOnly.toString()).exit())
        .isEqualTo(0);
  }
}
