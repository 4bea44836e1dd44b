package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.dbguard.core.analysis.AnalysisOptions;
import io.dbguard.core.analysis.rules.Verdict;
import io.dbguard.core.backup.Sha256;
import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.ProgressListener;
import io.dbguard.core.report.ExitCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Planner} with a real, tiny Django project on a real SQLite file: Django's own {@code
 * showmigrations --plan} lists the pending migrations. Needs Django (Debian's {@code
 * python3-django}, which scripts/test.sh installs); without it this test FAILS, it never skips.
 */
class PlannerDjangoTest {
  @TempDir Path tmp;
  Path project;
  Path db;
  String python;

  /** A Python 3 that imports Django: Debian's first, then the one on PATH. */
  static String djangoPython() throws Exception {
    for (String candidate : List.of("/usr/bin/python3", "python3")) {
      try {
        Process p =
            new ProcessBuilder(candidate, "-c", "import django").redirectErrorStream(true).start();
        if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return candidate;
        }
      } catch (java.io.IOException e) {
        // not there: try the next
      }
    }
    return fail(
        "Django is not installed (no python3 can `import django`): install Debian's python3-django"
            + " (scripts/test.sh does) — this test does not skip");
  }

  @BeforeEach
  void project() throws Exception {
    python = djangoPython();
    project = tmp.resolve("shop-app");
    write(
        "manage.py",
        "import os, sys\n"
            + "if __name__ == '__main__':\n"
            + "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n"
            + "    from django.core.management import execute_from_command_line\n"
            + "    execute_from_command_line(sys.argv)\n");
    write(
        "settings.py",
        "import os\n"
            + "SECRET_KEY = 'plan-test'\n"
            + "INSTALLED_APPS = ['shop']\n"
            + "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3',"
            + " 'NAME': os.environ['DATABASE_PATH']}}\n"
            + "USE_TZ = True\n"
            + "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n");
    write("shop/__init__.py", "");
    write("shop/migrations/__init__.py", "");
    write(
        "shop/migrations/0001_initial.py",
        "from django.db import migrations, models\n\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    initial = True\n"
            + "    dependencies = []\n"
            + "    operations = [\n"
            + "        migrations.CreateModel(\n"
            + "            name='Customer',\n"
            + "            fields=[\n"
            + "                ('id', models.AutoField(primary_key=True)),\n"
            + "                ('name', models.CharField(max_length=100)),\n"
            + "                ('email', models.CharField(max_length=200, null=True)),\n"
            + "            ],\n"
            + "        ),\n"
            + "    ]\n");
    write(
        "shop/migrations/0002_add_phone.py",
        "from django.db import migrations, models\n\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    dependencies = [('shop', '0001_initial')]\n"
            + "    operations = [\n"
            + "        migrations.AddField('customer', 'phone',"
            + " models.CharField(max_length=20, null=True)),\n"
            + "    ]\n");
    write(
        "shop/migrations/0003_remove_email.py",
        "from django.db import migrations\n\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    dependencies = [('shop', '0002_add_phone')]\n"
            + "    operations = [\n"
            + "        migrations.RemoveField('customer', 'email'),\n"
            + "    ]\n");
    db = tmp.resolve("shop.db");
    manage("migrate", "shop", "0001");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO shop_customer (name, email) VALUES ('a', 'a@example.com')");
    }
  }

  PlanRequest request() {
    return new PlanRequest(
        DatabaseTarget.sqlite(db),
        List.of(),
        python + " manage.py migrate --noinput",
        null,
        project,
        null,
        AnalysisOptions.defaults(),
        null);
  }

  @Test
  void djangosOwnListingGivesExactlyThePendingMigrationsAndThePlanWritesNothing() throws Exception {
    String before = Sha256.ofFile(db, "hash", ProgressListener.NONE);
    Plan plan = new Planner().plan(request(), l -> {});
    assertThat(Sha256.ofFile(db, "hash", ProgressListener.NONE))
        .as("the database file (data and django_migrations) is unchanged")
        .isEqualTo(before);

    assertThat(plan.pending().source()).isEqualTo("django");
    assertThat(plan.pending().listingCommand())
        .isEqualTo(python + " manage.py showmigrations --plan");
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("shop.0002_add_phone", "shop.0003_remove_email");
    assertThat(plan.pending().migrations())
        .extracting(m -> m.file().getFileName().toString())
        .containsExactly("0002_add_phone.py", "0003_remove_email.py");
    assertThat(plan.analysis().files()).hasSize(2);
    assertThat(plan.analysis().blocking())
        .as("RemoveField of a column: data loss")
        .anySatisfy(f -> assertThat(f.file()).endsWith("0003_remove_email.py"));
    assertThat(plan.exitCode(Verdict.REFUSE)).isEqualTo(ExitCode.REFUSED);
    assertThat(plan.runCommand()).contains("manage.py migrate --noinput", project.toString());

    manage("migrate", "--noinput");
    Plan after = new Planner().plan(request(), l -> {});
    assertThat(after.pending().known()).isTrue();
    assertThat(after.pending().migrations()).isEmpty();
    assertThat(after.analysis()).isNull();
    assertThat(after.exitCode(Verdict.WARN)).isEqualTo(ExitCode.OK);
  }

  @Test
  void aDatabaseThatDoesNotExistHasEverythingPendingAndIsNotCreatedByTheListing() throws Exception {
    db = tmp.resolve("absent.db");
    Plan plan = new Planner().plan(request(), l -> {});
    assertThat(Files.exists(db)).as("Django's sqlite3 connect would have created it").isFalse();
    assertThat(plan.databaseExists()).isFalse();
    assertThat(plan.pending().migrations())
        .extracting(PendingMigration::id)
        .containsExactly("shop.0001_initial", "shop.0002_add_phone", "shop.0003_remove_email");
    assertThat(plan.notices()).noneSatisfy(n -> assertThat(n.text()).contains("created"));
  }

  void manage(String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(python, "manage.py"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("DATABASE_PATH", db.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  void write(String relative, String text) throws Exception {
    Path f = project.resolve(relative);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }
}
