package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django seed that tests whether a row exists and creates it only in the {@code else} branch
 * ({@code if Team.objects.filter(name=n).exists(): … else: Team.objects.create(name=n)}) creates
 * nothing on a rerun, like {@code if not … exists():}; and a call of a function of the project made
 * under such a guard is judged guarded too. Every file here was written for this test (a league
 * site).
 */
class DjangoSeedExistsGuardTest {

  @TempDir Path root;

  private static final String COMMANDS = "league/apps/teams/management/commands/";

  private SeedClassification command(String body) throws Exception {
    AnalysisFiles.write(root, "league/apps/teams/models.py", "class Team: pass\n");
    AnalysisFiles.write(
        root,
        "league/apps/teams/setup.py",
        "from league.apps.teams.models import Team\n\n"
            + "def make_team(name):\n"
            + "    team = Team.objects.create(name=name)\n"
            + "    return team\n");
    Path f =
        AnalysisFiles.write(
            root,
            COMMANDS + "seed_teams.py",
            "from django.core.management.base import BaseCommand\n"
                + "from league.apps.teams.models import Team\n"
                + "from league.apps.teams.setup import make_team\n\n"
                + "class Command(BaseCommand):\n"
                + "    def handle(self, *args, **options):\n"
                + "        name = options['name']\n"
                + body);
    return new SeedAnalyzer().classify(f);
  }

  @Test
  void aCreateInTheElseBranchOfAnExistsTestIsGuarded() throws Exception {
    // seen failing before the change: non-idempotent
    SeedClassification c =
        command(
            "        if Team.objects.filter(name=name).exists():\n"
                + "            team = Team.objects.get(name=name)\n"
                + "        else:\n"
                + "            team = Team.objects.create(name=name)\n"
                + "        print(team)\n");
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.IDEMPOTENT);
  }

  @Test
  void aProjectFunctionCalledInTheElseBranchIsGuarded() throws Exception {
    // seen failing before the change: non-idempotent (runs make_team of setup.py)
    SeedClassification c =
        command(
            "        if Team.objects.filter(name=name).exists():\n"
                + "            self.stdout.write('exists')\n"
                + "        else:\n"
                + "            make_team(name)\n");
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.IDEMPOTENT);
  }

  @Test
  void aProjectFunctionCalledUnderANegatedTestIsGuarded() throws Exception {
    // seen failing before the change: non-idempotent
    SeedClassification c =
        command(
            "        if not Team.objects.filter(name=name).exists():\n"
                + "            make_team(name)\n");
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.IDEMPOTENT);
  }

  @Test
  void aCallAfterTheTestAndNotInItsElseStaysUnguarded() throws Exception {
    SeedClassification c =
        command(
            "        if Team.objects.filter(name=name).exists():\n"
                + "            self.stdout.write('exists')\n"
                + "        make_team(name)\n");
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
  }

  @Test
  void anUnguardedProjectFunctionStaysNonIdempotent() throws Exception {
    SeedClassification c = command("        make_team(name)\n");
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(c.reason()).contains("make_team");
  }

  @Test
  void theElseOfAComparisonIsNotAGuard() throws Exception {
    SeedClassification c =
        command(
            "        if Team.objects.count() > 100:\n"
                + "            self.stdout.write('enough')\n"
                + "        else:\n"
                + "            Team.objects.create(name=name)\n");
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
  }
}
