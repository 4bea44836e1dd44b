package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seed's {@code delete} call is a row delete only on a receiver that holds rows: DBG301 is
 * decided from the receiver, as Ruby/ActiveRecord and Python/Django/SQLAlchemy resolve the call,
 * not from the method name alone. {@code Hash#delete}, {@code Array#delete}, {@code String#delete},
 * {@code ENV.delete}, {@code Rails.cache.delete}, Django's {@code cache.delete("k")} delete no row;
 * {@code Model.delete(id)}, {@code record.delete}, {@code relation.delete_all}, {@code
 * connection.delete(sql)}, an association's {@code delete(record)} and SQLAlchemy's {@code
 * session.delete(obj)} do. Every seed here was written for this test.
 */
class SeedDeleteReceiverTest {

  @TempDir Path root;

  private Idempotency seed(String name, String src) throws Exception {
    Path f = root.resolve("db/seeds").resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
    return new SeedAnalyzer().classify(f).idempotency();
  }

  private void model(String file, String src) throws Exception {
    Path f = root.resolve("app/models").resolve(file);
    Files.createDirectories(f.getParent());
    Files.writeString(f, src);
  }

  private static final String CREATE = "Role.find_or_create_by!(name: \"admin\")\n";

  @Test
  void rubyDeletesOnValuesDeleteNoRows() throws Exception {
    String[] seeds = {
      "attrs = { name: \"admin\", role: \"owner\" }\nrole = attrs.delete(:role)\n",
      "tags = %w[a b c]\ntags.delete(\"b\")\n",
      "tags = [\"a\", \"b\"]\ntags.delete(\"b\")\n",
      "ENV.delete(\"SEED_TOKEN\")\n",
      "name = \"foo-bar\"\nslug = name.delete(\"-\")\n",
      "slug = \"foo-bar\".delete(\"-\")\n",
      "opts = params.dup\nparams.delete(:id)\n",
      "ARGV.delete(\"--force\")\n",
      "Rails.cache.delete(\"roles\")\n",
      "DEFAULTS.delete(:legacy)\n",
      "summary = description.truncate(40)\n",
      "seen = Set.new\nseen.delete(\"x\")\n",
      "def import(row)\n  row.delete(\"id\")\nend\n",
      "rows.each do |row|\n  row.delete(\"id\")\nend\n",
      "user = User.find_by(email: \"a@b.c\")\nuser.name.delete(\"-\")\n",
    };
    for (int i = 0; i < seeds.length; i++) {
      assertThat(seed("v" + i + ".rb", seeds[i] + CREATE))
          .as(seeds[i])
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
  }

  @Test
  void rubyDeletesOnModelsRelationsRecordsAndConnectionsDeleteRows() throws Exception {
    model("user.rb", "class User < ApplicationRecord\n  has_many :roles, through: :grants\nend\n");
    String[] seeds = {
      "User.delete(5)\n",
      "User.delete([1, 2])\n",
      "Admin::User.delete(3)\n",
      "User.delete_all\n",
      "User.where(guest: true).delete_all\n",
      "Post.destroy_all\n",
      "user = User.find_by(email: \"a@b.c\")\nuser.destroy\n",
      "user = User.find_by(email: \"a@b.c\")\nuser.delete\n",
      "user = User.find(1)\nrole = Role.find_by(name: \"x\")\nuser.roles.delete(role)\n",
      "User.find(1).roles.delete(Role.first)\n",
      "User.find_each do |u|\n  u.delete\nend\n",
      "ActiveRecord::Base.connection.delete(\"DELETE FROM users\")\n",
      "ActiveRecord::Base.connection.truncate(\"users\")\n",
      "conn = ActiveRecord::Base.connection\nconn.truncate(\"users\")\n",
      "Session.find_each(&:delete)\n",
      "stale = Session.where(expired: true)\nstale.delete(ids)\n",
      "user = User.find(1)\nroles = user.roles\nroles.delete(Role.first)\n",
    };
    for (int i = 0; i < seeds.length; i++) {
      assertThat(seed("d" + i + ".rb", seeds[i] + CREATE))
          .as(seeds[i])
          .isEqualTo(Idempotency.DESTRUCTIVE);
    }
  }

  private static final String PY_CREATE = "Role.objects.get_or_create(name=\"admin\")\n";

  @Test
  void pythonDeletesOnCachesAndStorageDeleteNoRows() throws Exception {
    String[] seeds = {
      "from django.core.cache import cache\ncache.delete(\"roles\")\n",
      "from django.core.files.storage import default_storage\ndefault_storage.delete(\"a.txt\")\n",
      "import requests\nrequests.delete(\"http://localhost/x\")\n",
      "import os\nos.remove(\"/tmp/x\")\n",
      "d = {\"a\": 1}\nd.pop(\"a\")\n",
    };
    for (int i = 0; i < seeds.length; i++) {
      assertThat(seed("v" + i + ".py", seeds[i] + PY_CREATE))
          .as(seeds[i])
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
  }

  @Test
  void pythonDeletesOnQuerysetsRecordsAndSessionsDeleteRows() throws Exception {
    String[] seeds = {
      "Role.objects.filter(name=\"old\").delete()\n",
      "Role.objects.all().delete()\n",
      "old = Role.objects.get(name=\"old\")\nold.delete()\n",
      "for r in Role.objects.all():\n    r.delete()\n",
      "session.delete(user)\n",
      "db.session.delete(user)\n",
      "session.query(User).delete()\n",
    };
    for (int i = 0; i < seeds.length; i++) {
      assertThat(seed("d" + i + ".py", seeds[i] + PY_CREATE))
          .as(seeds[i])
          .isEqualTo(Idempotency.DESTRUCTIVE);
    }
  }

  /** A management command of app {@code maps} whose {@code handle} body is {@code body}. */
  private static String command(String body) {
    return "from django.core.management.base import BaseCommand\n"
        + "from django.db import transaction\n"
        + "from maps.models import Layer\n\n"
        + "DEFAULT_LAYERS = [{\"name\": \"roads\"}, {\"name\": \"rivers\"}]\n\n"
        + "class Command(BaseCommand):\n"
        + "    def add_arguments(self, parser):\n"
        + "        parser.add_argument(\"action\", choices=[\"load\", \"reset\"])\n\n"
        + "    def handle(self, *args, **options):\n"
        + body;
  }

  @Test
  void pythonDeletesWhoseResultIsUnpackedIndexedOrNestedDeleteRows() throws Exception {
    // seen failing before the change: non-idempotent (the create) or idempotent (no write seen)
    String[] seeds = {
      command(
          "        if options[\"action\"] == \"reset\":\n"
              + "            with transaction.atomic():\n"
              + "                deleted, _ = Layer.objects.all().delete()\n"
              + "                for spec in DEFAULT_LAYERS:\n"
              + "                    Layer.objects.create(**spec)\n"),
      command(
          "        n = Layer.objects.filter(name__startswith=\"tmp\").delete()[0]\n"
              + "        self.stdout.write(f\"removed {n}\")\n"),
      command(
          "        qs = Layer.objects.all()\n"
              + "        count, per_model = qs.delete()\n"
              + "        Layer.objects.get_or_create(name=\"roads\")\n"),
      command("        (deleted, _) = Layer.objects.all().delete()\n"),
      command("        self.stdout.write(\"removed %d\" % Layer.objects.all().delete()[0])\n"),
      command("        self.removed += Layer.objects.exclude(name=\"roads\").delete()[0]\n"),
    };
    for (int i = 0; i < seeds.length; i++) {
      assertThat(seed("maps/management/commands/seed" + i + ".py", seeds[i]))
          .as(seeds[i])
          .isEqualTo(Idempotency.DESTRUCTIVE);
    }
  }

  @Test
  void pythonValuesReturnedRunBeforeTheyAreReturned() throws Exception {
    // a helper's `return X.delete()` deletes rows, and `return X.objects.create()` creates one
    String[] destructive = {
      command(
          "        self.clear()\n"
              + "        for spec in DEFAULT_LAYERS:\n"
              + "            Layer.objects.get_or_create(**spec)\n\n"
              + "    def clear(self):\n"
              + "        return Layer.objects.all().delete()\n"),
      command("        return Layer.objects.filter(name=\"tmp\").delete()[0]\n"),
    };
    for (int i = 0; i < destructive.length; i++) {
      assertThat(seed("maps/management/commands/ret" + i + ".py", destructive[i]))
          .as(destructive[i])
          .isEqualTo(Idempotency.DESTRUCTIVE);
    }
    assertThat(
            seed(
                "maps/management/commands/retcreate.py",
                command("        return Layer.objects.create(name=\"roads\")\n")))
        .isEqualTo(Idempotency.NON_IDEMPOTENT);
    String[] idempotent = {
      command("        return Layer.objects.get_or_create(name=\"roads\")\n"),
      command(
          "        Layer.objects.get_or_create(name=\"roads\")\n"
              + "        if not options[\"action\"]:\n"
              + "            return\n"
              + "        return cache.delete(\"layers\")\n"),
    };
    for (int i = 0; i < idempotent.length; i++) {
      assertThat(seed("maps/management/commands/retkeep" + i + ".py", idempotent[i]))
          .as(idempotent[i])
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
  }

  @Test
  void pythonUnpackedResultsOfOtherCallsDeleteNoRows() throws Exception {
    String[] seeds = {
      command(
          "        layer, created = Layer.objects.get_or_create(name=\"roads\")\n"
              + "        hits, misses = cache.delete(\"layers\"), 0\n"),
      command(
          "        if options[\"action\"] == \"reset\":\n"
              + "            with transaction.atomic():\n"
              + "                obj, _ = Layer.objects.update_or_create(name=\"roads\")\n"),
    };
    for (int i = 0; i < seeds.length; i++) {
      assertThat(seed("maps/management/commands/keep" + i + ".py", seeds[i]))
          .as(seeds[i])
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
  }
}
