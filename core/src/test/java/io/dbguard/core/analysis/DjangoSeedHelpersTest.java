package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import io.dbguard.core.analysis.seed.SeedClassification;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Django management command (or seed script) that hands its work to a function of the same
 * project ({@code from ._fake_utils import create_fake_dataset}, {@code from . import _fake_utils},
 * an absolute dotted import) is judged by that function's body, found by the module path (relative
 * to the seed's package, or under an ancestor directory of the seed), one level deep; a module the
 * project does not hold (a library) stays as before, and a module found without the function makes
 * the seed unknown (DBG303). Every file here was written for this test (a data catalog).
 */
class DjangoSeedHelpersTest {

  @TempDir Path root;

  private static final String COMMANDS = "dataworks/apps/catalog/management/commands/";

  private SeedClassification command(String src) throws Exception {
    AnalysisFiles.write(root, "dataworks/apps/catalog/models.py", "class Dataset: pass\n");
    Path f = AnalysisFiles.write(root, COMMANDS + "seed_catalog.py", src);
    return new SeedAnalyzer().classify(f);
  }

  private void helper(String file, String src) throws Exception {
    AnalysisFiles.write(root, COMMANDS + file, src);
  }

  private static final String HEAD = "from django.core.management.base import BaseCommand\n";

  private static String handle(String importLine, String call) {
    return HEAD
        + importLine
        + "\nclass Command(BaseCommand):\n"
        + "    def handle(self, *args, **options):\n"
        + "        for _ in range(options['count']):\n"
        + "            "
        + call
        + "\n";
  }

  private static final String CREATES =
      "from dataworks.apps.catalog.models import Dataset\n"
          + "from faker import Faker\n"
          + "fake = Faker()\n\n"
          + "def create_fake_dataset():\n"
          + "    return Dataset.objects.create(name=fake.bs())\n\n"
          + "def wipe():\n"
          + "    Dataset.objects.all().delete()\n";

  @Test
  void aRelativeImportOfAFunctionThatCreatesIsNonIdempotent() throws Exception {
    helper("_fake_utils.py", CREATES);
    SeedClassification c =
        command(handle("from ._fake_utils import create_fake_dataset", "create_fake_dataset()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    assertThat(c.reason()).contains("create_fake_dataset");
  }

  @Test
  void anAbsoluteImportIsFoundUnderAnAncestorDirectory() throws Exception {
    helper("_fake_utils.py", CREATES);
    SeedClassification c =
        command(
            handle(
                "from dataworks.apps.catalog.management.commands._fake_utils import"
                    + " create_fake_dataset as make",
                "make()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
  }

  @Test
  void aModuleImportedFromThePackageIsFollowedThroughItsName() throws Exception {
    helper("_fake_utils.py", CREATES);
    SeedClassification c =
        command(handle("from . import _fake_utils", "_fake_utils.create_fake_dataset()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
  }

  @Test
  void onlyTheNamedFunctionIsRead() throws Exception {
    helper("_fake_utils.py", CREATES);
    SeedClassification c = command(handle("from ._fake_utils import wipe", "wipe()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.DESTRUCTIVE);
    helper(
        "_fake_utils.py",
        CREATES + "\ndef ensure_dataset():\n" + "    Dataset.objects.get_or_create(name='core')\n");
    c = command(handle("from ._fake_utils import ensure_dataset", "ensure_dataset()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.IDEMPOTENT);
  }

  @Test
  void aDeleteOnARecordTheCallerPassesInIsBusinessLogicNotAWipe() throws Exception {
    // seen failing before the change: destructive (the publish step's delete of its own drafts)
    helper(
        "_publish.py",
        "from dataworks.apps.catalog.models import Dataset\n\n"
            + "def publish(dataset, *, user=None):\n"
            + "    dataset.drafts.filter(stale=True).delete()\n"
            + "    dataset.published = True\n"
            + "    dataset.save()\n\n"
            + "def reset_catalog(keep):\n"
            + "    Dataset.objects.exclude(pk=keep.pk).delete()\n");
    SeedClassification c =
        command(
            handle(
                "from dataworks.apps.catalog.models import Dataset\n"
                    + "from ._publish import publish",
                "publish(Dataset.objects.create(name='demo'))"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    // a delete of a model's rows in the function stays destructive, parameter or not
    c = command(handle("from ._publish import reset_catalog", "reset_catalog(None)"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void aPackageInitAndAParentPackageAreFound() throws Exception {
    AnalysisFiles.write(root, "dataworks/apps/catalog/seeding/__init__.py", CREATES);
    SeedClassification c =
        command(handle("from ...seeding import create_fake_dataset", "create_fake_dataset()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.NON_IDEMPOTENT);
    c = command(handle("import dataworks.apps.catalog.seeding as seeding", "seeding.wipe()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.DESTRUCTIVE);
  }

  @Test
  void aFunctionTheModuleDoesNotDefineIsUnknown() throws Exception {
    helper("_fake_utils.py", CREATES);
    SeedClassification c =
        command(handle("from ._fake_utils import create_fake_user", "create_fake_user()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.UNKNOWN);
  }

  @Test
  void aNameThePackageReExportsIsNotUnknown() throws Exception {
    // seen failing before the change: unknown ("__init__.py defines no function set_theme")
    AnalysisFiles.write(
        root, "dataworks/themes/__init__.py", "from ._theme import set_theme  # noqa\n");
    AnalysisFiles.write(root, "dataworks/themes/extra/__init__.py", "from .._theme import *\n");
    for (String imp :
        new String[] {
          "from dataworks.themes import set_theme", "from dataworks.themes.extra import set_theme"
        }) {
      SeedClassification c =
          command(
              HEAD
                  + "from dataworks.apps.catalog.models import Dataset\n"
                  + imp
                  + "\nclass Command(BaseCommand):\n"
                  + "    def handle(self, *args, **options):\n"
                  + "        Dataset.objects.get_or_create(name='core')\n"
                  + "        set_theme('dark')\n");
      assertThat(c.idempotency()).as(imp + ": " + c.reason()).isEqualTo(Idempotency.IDEMPOTENT);
    }
  }

  @Test
  void librariesClassesAndFunctionsWithoutWritesStayAsBefore() throws Exception {
    helper("_fake_utils.py", CREATES + "\ndef label(n):\n    return 'x-%d' % n\n");
    String[] calls = {
      "from django.utils.text import slugify\nfrom dataworks.apps.catalog.models import Dataset",
      "Dataset.objects.get_or_create(name=slugify('a b'))",
      "from ._fake_utils import label\nfrom dataworks.apps.catalog.models import Dataset",
      "Dataset.objects.get_or_create(name=label(1))",
      "from dataworks.apps.catalog.models import Dataset",
      "Dataset.objects.get_or_create(name='core')",
      "import os\nfrom dataworks.apps.catalog.models import Dataset",
      "Dataset.objects.get_or_create(name=os.path.join('a', 'b'))",
    };
    for (int i = 0; i < calls.length; i += 2) {
      SeedClassification c = command(handle(calls[i], calls[i + 1]));
      assertThat(c.idempotency())
          .as(calls[i] + " / " + c.reason())
          .isEqualTo(Idempotency.IDEMPOTENT);
    }
  }

  @Test
  void onlyOneLevelIsFollowed() throws Exception {
    helper(
        "_more.py",
        "from dataworks.apps.catalog.models import Dataset\n"
            + "def deeper():\n    Dataset.objects.create(name='x')\n");
    helper(
        "_fake_utils.py",
        "from ._more import deeper\n"
            + "from dataworks.apps.catalog.models import Dataset\n"
            + "def create_fake_dataset():\n"
            + "    Dataset.objects.get_or_create(name='core')\n"
            + "    deeper()\n");
    SeedClassification c =
        command(handle("from ._fake_utils import create_fake_dataset", "create_fake_dataset()"));
    assertThat(c.idempotency()).as(c.reason()).isEqualTo(Idempotency.IDEMPOTENT);
  }
}
