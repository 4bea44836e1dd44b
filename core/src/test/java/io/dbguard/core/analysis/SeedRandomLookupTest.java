package io.dbguard.core.analysis;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A get-or-create whose lookup is keyed on a random value (Faker, uuid, {@code random}, {@code
 * SecureRandom}, {@code rand}, the current time) finds no row on a rerun and creates a new one:
 * non-idempotent (DBG302). A random value only in {@code defaults=} (Django) or in the block or
 * {@code create_with} (Rails), with a fixed lookup key, stays idempotent, and so does a Faker
 * seeded with a constant before the calls. Every seed here was written for this test (a tagging
 * domain).
 */
class SeedRandomLookupTest {

  @TempDir Path dir;

  private Idempotency seed(String name, String src) throws Exception {
    Path f = AnalysisFiles.write(dir, "db/seeds/" + name, src);
    return new SeedAnalyzer().classify(f).idempotency();
  }

  private void expect(SoftAssertions soft, String ext, String[] seeds, Idempotency want)
      throws Exception {
    for (int i = 0; i < seeds.length; i++) {
      soft.assertThat(seed(want.name() + i + "." + ext, seeds[i])).as(seeds[i]).isEqualTo(want);
    }
  }

  private static final String PY_FAKER =
      "from faker import Faker\nfrom tags.models import Tag\nfake = Faker()\n";

  @Test
  void pythonLookupsKeyedOnRandomValuesAreNonIdempotent() throws Exception {
    String[] seeds = {
      PY_FAKER + "Tag.objects.get_or_create(name=fake.company(), type=1)\n",
      PY_FAKER + "for _ in range(10):\n    Tag.objects.get_or_create(name=fake.unique.word())\n",
      PY_FAKER + "name = fake.company()\nTag.objects.get_or_create(name=name)\n",
      "import uuid\nfrom tags.models import Tag\nTag.objects.get_or_create(slug=uuid.uuid4().hex)\n",
      "from uuid import uuid4\nfrom tags.models import Tag\n"
          + "Tag.objects.get_or_create(slug=str(uuid4()))\n",
      "import random\nfrom tags.models import Tag\nCODES = ['a', 'b']\n"
          + "Tag.objects.update_or_create(code=random.choice(CODES), defaults={'n': 1})\n",
      "import random\nfrom tags.models import Tag\n"
          + "Tag.objects.get_or_create(name=f\"tag-{random.randint(1, 9999)}\")\n",
      "from random import randint\nfrom tags.models import Tag\n"
          + "Tag.objects.get_or_create(name='tag-%d' % randint(1, 9))\n",
      "from django.utils import timezone\nfrom tags.models import Tag\n"
          + "Tag.objects.get_or_create(name='daily', created_at=timezone.now())\n",
      "from django.core.management.base import BaseCommand\n"
          + PY_FAKER
          + "class Command(BaseCommand):\n"
          + "    def handle(self, *args, **options):\n"
          + "        self.fake = Faker()\n"
          + "        for _ in range(options['count']):\n"
          + "            Tag.objects.get_or_create(\n"
          + "                name=self.fake.word(),\n"
          + "                defaults={'color': 'red'},\n"
          + "            )\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "py", seeds, Idempotency.NON_IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void pythonRandomValuesOutsideTheLookupOrSeededStayIdempotent() throws Exception {
    String[] seeds = {
      PY_FAKER + "Tag.objects.get_or_create(name='news', defaults={'color': fake.color()})\n",
      "import uuid\nfrom tags.models import Tag\n"
          + "Tag.objects.update_or_create(name='news', defaults={'token': uuid.uuid4().hex})\n",
      "from django.utils import timezone\nfrom tags.models import Tag\n"
          + "Tag.objects.get_or_create(name='news', defaults={'created_at': timezone.now()})\n",
      PY_FAKER + "Faker.seed(0)\nTag.objects.get_or_create(name=fake.company())\n",
      PY_FAKER + "fake.seed_instance(1)\nTag.objects.get_or_create(name=fake.company())\n",
      "import random\nfrom tags.models import Tag\nrandom.seed(42)\n"
          + "Tag.objects.get_or_create(code=random.choice(['a', 'b']))\n",
      "from tags.models import Tag\nfor i in range(5):\n"
          + "    Tag.objects.get_or_create(name=f'tag-{i}')\n",
      "from tags.models import Tag\nname = 'random'\nTag.objects.get_or_create(name=name)\n",
      PY_FAKER + "Tag.objects.get_or_create(name='fake.company()')\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "py", seeds, Idempotency.IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void rubyLookupsKeyedOnRandomValuesAreNonIdempotent() throws Exception {
    String[] seeds = {
      "Tag.find_or_create_by!(name: Faker::Company.name)\n",
      "10.times do\n  Tag.find_or_create_by(name: Faker::Lorem.unique.word)\nend\n",
      "Tag.find_or_create_by!(slug: SecureRandom.uuid)\n",
      "Tag.find_or_create_by!(name: \"tag-#{rand(1..9999)}\")\n",
      "Tag.find_or_create_by!(code: CODES.sample)\n",
      "Tag.find_or_create_by!(name: \"daily\", created_at: Time.current)\n",
      "Tag.where(name: Faker::Company.name).first_or_create!\n",
      "name = Faker::Company.name\nTag.find_or_create_by!(name: name)\n",
      "Tag.find_or_initialize_by(slug: SecureRandom.hex(8)).save!\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "rb", seeds, Idempotency.NON_IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void rubyRandomValuesOutsideTheLookupOrSeededStayIdempotent() throws Exception {
    String[] seeds = {
      "Tag.find_or_create_by!(name: \"news\") do |t|\n  t.color = Faker::Color.hex_color\nend\n",
      "Tag.create_with(token: SecureRandom.uuid).find_or_create_by!(name: \"news\")\n",
      "Tag.find_or_create_by!(name: \"news\") { |t| t.created_at = Time.current }\n",
      "Faker::Config.random = Random.new(42)\nTag.find_or_create_by!(name: Faker::Company.name)\n",
      "srand(7)\nTag.find_or_create_by!(code: CODES.sample)\n",
      "%w[a b].each do |n|\n  Tag.find_or_create_by!(name: \"tag-#{n}\")\nend\n",
      "Tag.find_or_create_by!(name: \"rand\")\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "rb", seeds, Idempotency.IDEMPOTENT);
    soft.assertAll();
  }
}
