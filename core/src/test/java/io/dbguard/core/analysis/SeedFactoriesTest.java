package io.dbguard.core.analysis;

import io.dbguard.core.analysis.seed.Idempotency;
import io.dbguard.core.analysis.seed.SeedAnalyzer;
import java.nio.file.Path;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Test-data factories save rows: factory_boy's {@code BookFactory()}, {@code .create()} and {@code
 * .create_batch(n)} (factory_boy docs, "Using factories": the default strategy of a {@code
 * DjangoModelFactory} is create) and FactoryBot's {@code create}, {@code create_list} and {@code
 * create_pair} (FactoryBot "Getting Started") insert rows on every run: non-idempotent unless an
 * existence check guards them. {@code build}, {@code build_batch}, {@code build_stubbed}, {@code
 * stub} and {@code attributes_for} save nothing; a factory whose {@code Meta} sets {@code
 * django_get_or_create} looks its row up by those fields first, so a call that gives them all is
 * idempotent. A class named {@code ...Factory} that is not imported from a factories module ({@code
 * django.test.RequestFactory}) creates no row. model_bakery's (and model_mommy's) {@code
 * baker.make}, {@code make_recipe} and a recipe's {@code make()} save rows too (model_bakery docs,
 * "Basic Usage" and "Recipes": {@code prepare} and {@code prepare_recipe} do not persist). Every
 * seed here was written for this test (a library domain, a shop for model_bakery).
 */
class SeedFactoriesTest {

  @TempDir Path dir;

  private Idempotency seed(String name, String src) throws Exception {
    Path f = AnalysisFiles.write(dir, "db/seeds/" + name, src);
    return new SeedAnalyzer().classify(f).idempotency();
  }

  private static final String PY_IMPORT = "from library.tests.factories import BookFactory\n";

  /** A factory whose create looks the shelf up by its code first (factory_boy Meta option). */
  private static final String SHELF_FACTORY =
      "import factory\n"
          + "class ShelfFactory(factory.django.DjangoModelFactory):\n"
          + "    class Meta:\n"
          + "        model = 'library.Shelf'\n"
          + "        django_get_or_create = ('code',)\n"
          + "    code = factory.Sequence(lambda n: 'S%d' % n)\n"
          + "\n";

  private void expect(SoftAssertions soft, String ext, String[] seeds, Idempotency want)
      throws Exception {
    for (int i = 0; i < seeds.length; i++) {
      soft.assertThat(seed(want.name() + i + "." + ext, seeds[i])).as(seeds[i]).isEqualTo(want);
    }
  }

  @Test
  void factoryBoyCreatesAreNonIdempotent() throws Exception {
    String[] seeds = {
      PY_IMPORT + "BookFactory()\n",
      PY_IMPORT + "BookFactory(title='Dune')\n",
      PY_IMPORT + "BookFactory.create(title='Dune')\n",
      PY_IMPORT + "BookFactory.create_batch(5)\n",
      PY_IMPORT + "books = BookFactory.create_batch(3, shelf='A')\n",
      "from library.tests import factories\nfactories.BookFactory(title='Dune')\n",
      "import library.factories as f\nf.AuthorFactory.create()\n",
      "from library.factories import *\nfor _ in range(3):\n    AuthorFactory()\n",
      "from library.factories import (\n    BookFactory,\n    AuthorFactory as AF,\n)\nAF.create()\n",
      "import factory\n"
          + "class LoanFactory(factory.django.DjangoModelFactory):\n"
          + "    class Meta:\n"
          + "        model = 'library.Loan'\n"
          + "LoanFactory.create_batch(2)\n",
      SHELF_FACTORY + "ShelfFactory.create_batch(3)\n",
      SHELF_FACTORY + "ShelfFactory(label='poetry')\n",
      // a create_ class method of the application's factory (seen failing before the change:
      // idempotent)
      PY_IMPORT + "for status in ['draft', 'live']:\n    BookFactory.create_with_status(status)\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "py", seeds, Idempotency.NON_IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void factoryBoyBuildsAndGuardedCreatesAreIdempotent() throws Exception {
    String[] seeds = {
      PY_IMPORT + "book = BookFactory.build(title='Dune')\n",
      PY_IMPORT + "books = BookFactory.build_batch(3)\n",
      PY_IMPORT + "BookFactory.stub()\n",
      PY_IMPORT + "if not Book.objects.exists():\n    BookFactory.create_batch(5)\n",
      "from django.test import RequestFactory\nrequest = RequestFactory().get('/')\n",
      SHELF_FACTORY + "ShelfFactory(code='A1')\nShelfFactory.create(code='B2', label='poetry')\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "py", seeds, Idempotency.IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void factoryBotCreatesAreNonIdempotent() throws Exception {
    String[] seeds = {
      "FactoryBot.create(:book)\n",
      "FactoryBot.create(:book, title: \"Dune\")\n",
      "FactoryBot.create_list(:book, 3)\n",
      "FactoryBot.create_pair(:loan)\n",
      "FactoryGirl.create(:book)\n",
      "3.times { FactoryBot.create(:loan) }\n",
      "include FactoryBot::Syntax::Methods\ncreate_list(:book, 3)\n",
      "include FactoryBot::Syntax::Methods\ncreate(:book, title: \"Dune\")\n",
      "include FactoryBot::Syntax::Methods\nbooks = create_list(:book, 2, shelf: \"A\")\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "rb", seeds, Idempotency.NON_IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void factoryBotBuildsAndGuardedCreatesAreIdempotent() throws Exception {
    String[] seeds = {
      "book = FactoryBot.build(:book)\n",
      "FactoryBot.build_stubbed(:book)\n",
      "attrs = FactoryBot.attributes_for(:book)\n",
      "include FactoryBot::Syntax::Methods\nbooks = build_list(:book, 2)\n",
      "unless Book.exists?\n  FactoryBot.create_list(:book, 3)\nend\n",
      "return if Book.exists?\nFactoryBot.create(:book)\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "rb", seeds, Idempotency.IDEMPOTENT);
    soft.assertAll();
  }

  /** A management command of app {@code shop} whose {@code handle} body is {@code body}. */
  private static String command(String imports, String body) {
    return "from django.core.management.base import BaseCommand\n"
        + "from shop.models import Customer\n"
        + imports
        + "\nclass Command(BaseCommand):\n"
        + "    def handle(self, *args, **options):\n"
        + body;
  }

  @Test
  void modelBakeryMakesAreNonIdempotent() throws Exception {
    // seen failing before the change: idempotent ("no writes found")
    String[] seeds = {
      "from model_bakery.baker import make_recipe\nmake_recipe('shop.customer', city='X')\n",
      "from model_mommy.mommy import make_recipe\n"
          + "for _ in range(20):\n"
          + "    make_recipe('shop.customer')\n",
      "from shop.tests.helpers import make_recipe\nmake_recipe('shop.customer', city='Oslo')\n",
      "from model_bakery import baker\n"
          + "from shop.models import Customer\n"
          + "baker.make(Customer, _quantity=50)\n",
      "from model_mommy import mommy\nmommy.make('shop.Customer')\n",
      "from model_bakery import baker\nbaker.make_recipe('shop.customer')\n",
      "from model_bakery.baker import make\ncustomers = make('shop.Customer', _quantity=3)\n",
      "import model_bakery.baker as bk\nbk.make('shop.Customer')\n",
      "from model_bakery.recipe import Recipe\n"
          + "customer = Recipe('shop.Customer', city='Oslo')\n"
          + "customer.make(_quantity=5)\n",
      "from shop.baker_recipes import customer\ncustomer.make()\n",
      command(
          "from model_bakery import baker\n",
          "        for _ in range(options['count']):\n"
              + "            baker.make(Customer, city='Bergen')\n"),
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "py", seeds, Idempotency.NON_IDEMPOTENT);
    soft.assertAll();
  }

  @Test
  void modelBakeryPreparesAndGuardedMakesAreIdempotent() throws Exception {
    String[] seeds = {
      "from model_bakery import baker\ncustomer = baker.prepare('shop.Customer')\n",
      "from model_bakery.baker import prepare_recipe\nprepare_recipe('shop.customer')\n",
      "from model_bakery.recipe import Recipe\n"
          + "customer = Recipe('shop.Customer')\n"
          + "unsaved = customer.prepare()\n",
      "from model_bakery import baker\n"
          + "if not Customer.objects.exists():\n"
          + "    baker.make(Customer, _quantity=50)\n",
      command(
          "from model_bakery.baker import make_recipe\n",
          "        if Customer.objects.exists():\n"
              + "            return\n"
              + "        make_recipe('shop.customer', _quantity=10)\n"),
      "from shop.tools import make\nmake('report')\n",
    };
    SoftAssertions soft = new SoftAssertions();
    expect(soft, "py", seeds, Idempotency.IDEMPOTENT);
    soft.assertAll();
  }
}
