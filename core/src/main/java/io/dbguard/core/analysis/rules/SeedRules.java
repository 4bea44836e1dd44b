package io.dbguard.core.analysis.rules;

import static io.dbguard.core.analysis.rules.Rules.r;
import static io.dbguard.core.analysis.rules.Verdict.NOTICE;
import static io.dbguard.core.analysis.rules.Verdict.REFUSE;

/**
 * The seed rules (DBG3xx): what running a seed again does to existing rows; part of {@link Rules}.
 */
final class SeedRules {

  private SeedRules() {}

  static final Rule DESTRUCTIVE =
      r(
          "DBG301",
          "destructive-seed",
          REFUSE,
          "Seed deletes or truncates data",
          "A seed that runs delete_all/destroy_all/TRUNCATE/DELETE wipes rows on every run,"
              + " including production. Seeds must only add missing rows. Rails: a deleting call"
              + " is judged from its receiver, as Ruby resolves it. `destroy`, `destroy_all`,"
              + " `delete_all`, `delete_by`, `destroy_by` and `delete` without arguments delete"
              + " (also as a block argument, `each(&:destroy)`); a loop whose block argument"
              + " deletes (`each`, `map`, `find_each` … `(&:destroy)`) over an expression that"
              + " holds a model's rows — `Model.all`, `Model.where(…)`, a variable assigned a"
              + " relation — deletes them however the expression is built (`(Model.all -"
              + " kept).each(&:destroy)`, `[Model.all - kept].flatten.each(&:destroy)`), and"
              + " `destroy_all`/`delete_all` over a literal list of model classes (`[Hive,"
              + " Frame].each(&:destroy_all)`) empties each table, while"
              + " the same loop over values (an array of strings, a hash, a value constant)"
              + " deletes nothing; so do `Model.delete(id)`,"
              + " `delete(arg)` on a relation of a model (`User.where(…)`) or on a has-many"
              + " association that `app/models/<model>.rb` declares (`user.roles.delete(role)`,"
              + " `user` assigned from `User.find_by(…)`), also through a variable assigned"
              + " either, and `connection.delete(sql)` /"
              + " `connection.truncate(table)`. `delete(arg)` on any other receiver — a local"
              + " variable assigned from a Hash, Array or String literal, `ENV`, `params`,"
              + " `ARGV`, a string, a block or method parameter, an attribute (`user.name`),"
              + " `Rails.cache`, a value constant in capitals (`DEFAULTS`) — is `Hash#delete`,"
              + " `Array#delete` or `String#delete` and deletes no row, and `text.truncate(n)` is"
              + " ActiveSupport's `String#truncate`. Where the receiver is unknown dbguard takes"
              + " `delete(arg)` for the Ruby core method: ActiveRecord's `delete` with an argument"
              + " exists only on a model class, a relation or an association, which a seed names"
              + " as such, while the same call on a value is a common Ruby idiom; an association"
              + " whose model file is not beside `db/` is therefore not seen. A class method of the"
              + " model whose body in `app/models/<model>.rb` (beside `db/`) deletes also deletes;"
              + " when that body is not found, a method named `delete_*`, `destroy_*` or"
              + " `remove_*` called on a model is taken to delete. Python: `.delete()` without"
              + " positional arguments (a Django record or queryset, an SQLAlchemy query),"
              + " SQLAlchemy's `session.delete(obj)`, a bare `delete(table)` and"
              + " `call_command(\"flush\")` delete, also when the result is assigned, unpacked or"
              + " indexed (`deleted, _ = Layer.objects.all().delete()`, `n = qs.delete()[0]`) or"
              + " passed to another call or returned (`return qs.delete()`), and inside"
              + " `if`/`with` blocks of a management command;"
              + " `x.delete(arg)` on another receiver (Django's"
              + " `cache.delete(\"key\")`, `default_storage.delete(name)`) deletes no row.",
          "dbguard");
  static final Rule NOT_IDEMPOTENT =
      r(
          "DBG302",
          "non-idempotent-seed",
          NOTICE,
          "Seed creates rows unconditionally",
          "create!/objects.create/bulk_create/plain INSERT duplicate rows (or fail on unique"
              + " indexes) when the seed runs again. Use find_or_create_by / get_or_create /"
              + " `INSERT ... ON CONFLICT DO NOTHING`, or guard the file. dbguard then seeds an"
              + " existing database only under policy Always. Rails `create` without `!` returns"
              + " an unsaved record when a validation fails, so it is idempotent when"
              + " `app/models/<model>.rb` (beside `db/`) validates the uniqueness of an attribute"
              + " the call sets (`validates :code, uniqueness: true`, `validates_uniqueness_of"
              + " :code`, without `if:`/`unless:`/`on:`/`conditions:`); otherwise the finding says"
              + " so. Test-data factories save rows: factory_boy's `BookFactory(…)`,"
              + " `BookFactory.create(…)`, `.create_batch(n)` and a class method the application"
              + " adds under a `create_` name (`.create_with_status(…)`) (a factory imported from a"
              + " module whose path names factories, reached through one, or a factory class of"
              + " the file; one defined in the file whose `Meta` sets `django_get_or_create`"
              + " looks its row up first, so a call that gives every lookup field is idempotent)"
              + " and FactoryBot's `create`, `create_list` and `create_pair` (on"
              + " `FactoryBot`/`FactoryGirl`, or bare after `include FactoryBot::Syntax::Methods`)"
              + " are unguarded creates; `build`, `build_batch`, `build_stubbed`, `stub` and"
              + " `attributes_for` save nothing, and another class named `…Factory`"
              + " (`django.test.RequestFactory`) creates no row. model_bakery's and model_mommy's"
              + " `baker.make(…)`, `mommy.make(…)`, `baker.make_recipe(…)`, an imported `make` or"
              + " `make_recipe` (from the library or a project helper re-exporting it) and a"
              + " recipe's `make()` (`x = Recipe(…)`, a name from a `baker_recipes` module) are"
              + " unguarded creates too; `prepare` and `prepare_recipe` save nothing. A Django create inside `for x in"
              + " Model.objects.filter(<relation>__isnull=True):` (or `.exclude(<relation>__isnull"
              + "=False)`) of the model that relation names (its lower-cased name, or its name in"
              + " snake case) that sets a field from the loop variable (`member=x`,"
              + " `member_id=x.pk`) is idempotent: a rerun's loop finds no row lacking it. Any"
              + " other create in a loop stays non-idempotent. A get-or-create looked up by a"
              + " random value finds no row on a rerun and creates one, so it is non-idempotent"
              + " too: Faker (`get_or_create(name=fake.company())`,"
              + " `find_or_create_by!(name: Faker::Company.name)`), `uuid.uuid4()`,"
              + " `SecureRandom`, the `random`/`secrets` modules, `rand`, `.sample`, the current"
              + " time (`timezone.now()`, `Time.current`), also inside an f-string or an"
              + " interpolation or through a variable assigned one; a random value only in"
              + " `defaults=` (Django) or in the block or `create_with` (Rails) sets the created"
              + " row and keeps a fixed lookup idempotent, as does Faker seeded with a constant"
              + " before the call (`Faker.seed(0)`, `fake.seed_instance(1)`,"
              + " `Faker::Config.random = Random.new(42)`, `srand(42)`; `random.seed(42)` for"
              + " `random`).",
          "dbguard");
  static final Rule UNKNOWN =
      r(
          "DBG303",
          "seed-idempotency-unknown",
          NOTICE,
          "Seed delegates to code dbguard cannot see",
          "The seed calls code outside the analysed files (e.g. `Language.load`), so its"
              + " idempotency is unknown; dbguard seeds an existing database only under policy"
              + " Always. A Rails seed that hands its work to a class of the application"
              + " (`EstateSeeder.seed!`, `DemoData.new.run`, `CatalogSync.call`) is judged by the"
              + " file that defines it, found as Rails autoloads it (`estate_seeder.rb` under"
              + " `app/`, not `app/models`, or under `lib/`); only a class that no file of the"
              + " application defines, a background job run from the seed (`SomeJob.new.perform(id)`:"
              + " business logic on one record), `Rails.application.load_seed` and rake tasks stay"
              + " unknown. A Python seed (a script or a management command) that calls a"
              + " function of the project (`from ._fake_utils import create_fake_dataset`, `from"
              + " . import _fake_utils`, an absolute dotted import) is judged by that function's"
              + " body, read from the module file found from the seed's package (a relative"
              + " import) or under an ancestor directory of the seed (`a/b/c.py`,"
              + " `a/b/c/__init__.py`), one level deep (the function's own imported calls are not"
              + " followed; a delete there on a record passed in as a parameter is business"
              + " logic on that record, not a wipe); a module not in the project (a library) is"
              + " not read, and a module"
              + " found that never names the function (a re-export by import is not followed)"
              + " leaves the seed unknown."
              + " Readers of data (`YAML.load`, `JSON.load`, `Marshal.load`, `CSV`, `File`) are"
              + " no delegation.",
          "dbguard");
}
