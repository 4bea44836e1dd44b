package io.dbguard.operator;

import static io.dbguard.operator.DatabaseMigrationIT.awaitFinished;
import static io.dbguard.operator.DatabaseMigrationIT.columns;
import static io.dbguard.operator.DatabaseMigrationIT.createPgDatabase;
import static io.dbguard.operator.DatabaseMigrationIT.describe;
import static io.dbguard.operator.DatabaseMigrationIT.get;
import static io.dbguard.operator.DatabaseMigrationIT.pgCount;
import static io.dbguard.operator.DatabaseMigrationIT.pgUrl;
import static io.dbguard.operator.DatabaseMigrationIT.setUp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import io.dbguard.operator.model.ApprovalState;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.operator.model.PlanStatus;
import io.dbguard.testcluster.TestCluster;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.Operator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plan Job with an application command on the real control plane, the operator authenticated as
 * the chart's ServiceAccount: a real Django project (Debian's python3-django and python3-psycopg2,
 * which scripts/test.sh installs; without them this test FAILS) migrates a real PostgreSQL
 * database. The plan Job's {@code plan-listing} init container runs Django's own {@code
 * showmigrations --plan} in the application's image with a read-only session, and {@code
 * status.plan} lists exactly the pending migrations: all of them before the first run (which
 * changes nothing), only the new one for the next release.
 */
@WithTestCluster
class PlanListingIT {
  static TestCluster cluster;
  static KubernetesClient client;

  /**
   * The "image"'s project directory: on the host, outside /tmp, which the plan Job's pod mounts as
   * an emptyDir (the rig rewrites container paths under it to the pod's own directory).
   */
  static Path tmp;

  @BeforeAll
  static void images() throws Exception {
    tmp = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "plan-listing-it-");
    assertThat(System.getenv("DBGUARD_TEST_PG_URL")).isNotBlank();
    DatabaseMigrationIT.cluster = cluster;
    DatabaseMigrationIT.client = client;
    WriteFenceIT.cluster = cluster;
    WriteFenceIT.client = client;
    ApprovalIT.client = client;
    DatabaseMigrationIT.mapImages(cluster);
    requireDjango();
  }

  @Test
  void djangosOwnListingFillsStatusPlanWithExactlyThePendingMigrationsAndWritesNothing(
      @TestNamespace String ns) throws Exception {
    String db = createPgDatabase();
    setUp(ns, pgUrl(db));
    Path v1 = project("v1", false);
    Path v2 = project("v2", true);
    Operator op = WriteFenceIT.chartOperator(ns);
    try {
      DatabaseMigrationIT.create(ns, djangoMigration("shop:1.0", v1));
      DatabaseMigration m = awaitWaiting(ns, null);
      PlanStatus plan = m.getStatus().getPlan();
      assertThat(plan.getPendingSource()).as(describe(m)).isEqualTo("django");
      assertThat(plan.getPending()).containsExactly("shop.0001_initial", "shop.0002_order_note");
      assertThat(plan.getPendingCount()).isEqualTo(2);
      assertThat(plan.getApproval()).isEqualTo(ApprovalState.Waiting);
      // the listing ran with a read-only session and wrote nothing: no Django table, no migration
      assertThat(tables(db)).containsExactly("items");
      assertThat(pgCount(db, "items")).isEqualTo(3);
      assertThat(DatabaseMigrationIT.jobSteps(ns)).containsExactly("plan");

      ApprovalIT.approve(ns, m.getStatus().getRevision());
      m = awaitFinished(ns, "shop");
      assertThat(m.getStatus().getPhase()).as(describe(m)).isEqualTo(Phase.Succeeded);
      assertThat(columns(db, "shop_order")).containsExactlyInAnyOrder("id", "total", "note");
      assertThat(appliedShopMigrations(db)).containsExactly("0001_initial", "0002_order_note");

      // the next release adds one migration: the plan lists that one only
      String first = m.getStatus().getRevision();
      ApprovalIT.edit(
          ns,
          x -> {
            x.getSpec().getMigrate().setImage("shop:1.1");
            x.getSpec().getMigrate().setCommand(command(v2));
          });
      m = awaitWaiting(ns, first);
      assertThat(m.getStatus().getPlan().getPending())
          .as(describe(m))
          .containsExactly("shop.0003_order_paid");
      assertThat(columns(db, "shop_order")).doesNotContain("paid");
      assertThat(appliedShopMigrations(db)).hasSize(2);
    } finally {
      op.stop();
    }
  }

  /** Fails (never skips) when Debian's Python cannot import Django and psycopg2. */
  static void requireDjango() throws Exception {
    Process p =
        new ProcessBuilder("/usr/bin/python3", "-c", "import django, psycopg2")
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      fail(
          "Django with psycopg2 is not installed (/usr/bin/python3 -c 'import django, psycopg2': "
              + out.strip()
              + "): install Debian's python3-django and python3-psycopg2 (scripts/test.sh does)"
              + " — this test does not skip");
    }
  }

  /**
   * A tiny Django project on PostgreSQL (settings from {@code DATABASE_URL}): app {@code shop} with
   * 0001 (orders) and 0002 (a nullable note), and with {@code third} 0003 (a nullable flag).
   */
  static Path project(String name, boolean third) throws Exception {
    Path p = tmp.resolve(name);
    write(
        p,
        "manage.py",
        "import os, sys\n"
            + "if __name__ == '__main__':\n"
            + "    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')\n"
            + "    from django.core.management import execute_from_command_line\n"
            + "    execute_from_command_line(sys.argv)\n");
    write(
        p,
        "settings.py",
        "import os\n"
            + "from urllib.parse import urlparse, unquote\n"
            + "u = urlparse(os.environ['DATABASE_URL'])\n"
            + "SECRET_KEY = 'plan-listing-it'\n"
            + "INSTALLED_APPS = ['shop']\n"
            + "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql',"
            + " 'NAME': u.path[1:], 'USER': unquote(u.username), 'PASSWORD': unquote(u.password),"
            + " 'HOST': u.hostname, 'PORT': u.port}}\n"
            + "USE_TZ = True\n"
            + "DEFAULT_AUTO_FIELD = 'django.db.models.AutoField'\n");
    write(p, "shop/__init__.py", "");
    write(p, "shop/migrations/__init__.py", "");
    write(
        p,
        "shop/migrations/0001_initial.py",
        "from django.db import migrations, models\n\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    initial = True\n"
            + "    dependencies = []\n"
            + "    operations = [\n"
            + "        migrations.CreateModel('Order', fields=[\n"
            + "            ('id', models.AutoField(primary_key=True)),\n"
            + "            ('total', models.IntegerField()),\n"
            + "        ]),\n"
            + "    ]\n");
    write(
        p,
        "shop/migrations/0002_order_note.py",
        "from django.db import migrations, models\n\n\n"
            + "class Migration(migrations.Migration):\n"
            + "    dependencies = [('shop', '0001_initial')]\n"
            + "    operations = [\n"
            + "        migrations.AddField('order', 'note', models.TextField(null=True)),\n"
            + "    ]\n");
    if (third) {
      write(
          p,
          "shop/migrations/0003_order_paid.py",
          "from django.db import migrations, models\n\n\n"
              + "class Migration(migrations.Migration):\n"
              + "    dependencies = [('shop', '0002_order_note')]\n"
              + "    operations = [\n"
              + "        migrations.AddField('order', 'paid', models.BooleanField(null=True)),\n"
              + "    ]\n");
    }
    return p;
  }

  static void write(Path project, String file, String text) throws Exception {
    Path f = project.resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, text);
  }

  static List<String> command(Path project) {
    return List.of(
        "sh", "-c", "cd " + project + " && /usr/bin/python3 manage.py migrate --noinput");
  }

  static DatabaseMigration djangoMigration(String image, Path project) {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: shop}
        spec:
          database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
          migrate: {image: "%s", timeoutSeconds: 120}
          backup: {storage: {claimName: backups}}
          approval: {mode: Manual}
        """
            .formatted(image);
    DatabaseMigration m = Serialization.unmarshal(yaml, DatabaseMigration.class);
    m.getSpec().getMigrate().setCommand(command(project));
    return m;
  }

  /** Waits for AwaitingApproval with a recorded plan, of a revision other than {@code not}. */
  static DatabaseMigration awaitWaiting(String ns, String not) {
    await()
        .atMost(DatabaseMigrationIT.RUN_TIMEOUT)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              DatabaseMigration m = get(ns, "shop");
              return m != null
                  && m.getStatus() != null
                  && m.getStatus().getPhase() == Phase.AwaitingApproval
                  && m.getStatus().getPlan() != null
                  && !m.getStatus().getRevision().equals(not);
            });
    return get(ns, "shop");
  }

  static List<String> tables(String db) throws Exception {
    try (Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                    + " ORDER BY 1")) {
      List<String> out = new java.util.ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    }
  }

  static List<String> appliedShopMigrations(String db) throws Exception {
    try (Connection c = DatabaseMigrationIT.Pg.fromEnv().connect(db);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery("SELECT name FROM django_migrations WHERE app = 'shop' ORDER BY name")) {
      List<String> out = new java.util.ArrayList<>();
      while (r.next()) {
        out.add(r.getString(1));
      }
      return out;
    }
  }
}
