package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameworkTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "python manage.py migrate | DJANGO | python manage.py showmigrations --plan",
        "cd app && python3 manage.py migrate --noinput | DJANGO | cd app && python3 manage.py"
            + " showmigrations --plan",
        "python manage.py migrate shop 0003 --settings=prod.settings --database other | DJANGO"
            + " | python manage.py showmigrations --plan --settings=prod.settings --database=other",
        "django-admin migrate && ./seed.sh | DJANGO | django-admin showmigrations --plan",
        "bundle exec rake db:migrate | RAILS | bundle exec rake db:migrate:status",
        "RAILS_ENV=production bin/rails db:migrate VERSION=20261122 | RAILS |"
            + " RAILS_ENV=production bin/rails db:migrate:status",
        "npx prisma migrate deploy --schema db/schema.prisma | PRISMA | npx prisma migrate status"
            + " --schema db/schema.prisma",
        "poetry run alembic -c alembic.ini upgrade head | ALEMBIC | poetry run alembic -c"
            + " alembic.ini current && poetry run alembic -c alembic.ini history",
        "npx knex migrate:latest --knexfile db/knexfile.js --env production | KNEX | npx knex"
            + " migrate:list --knexfile db/knexfile.js --env production",
        "npx knex --knexfile knexfile.js migrate:latest && node seed.js | KNEX | npx knex"
            + " --knexfile knexfile.js migrate:list",
        "npx sequelize-cli db:migrate --env production | SEQUELIZE | npx sequelize-cli"
            + " db:migrate:status --env production",
        "yarn sequelize db:migrate | SEQUELIZE | yarn sequelize db:migrate:status",
      })
  void recognisesTheFrameworkAndDerivesItsReadOnlyListing(
      String command, Framework framework, String listing) {
    Framework.Listing l = Framework.recognise(command).orElseThrow();
    assertThat(l.framework()).isEqualTo(framework);
    assertThat(l.command()).isEqualTo(listing);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "./migrate.sh",
        "bundle exec rake db:migrate:status",
        "npx prisma migrate dev",
        "python manage.py migratecheck",
        "migrate -path db -database $DATABASE_URL up",
      })
  void otherCommandsAreNotRecognised(String command) {
    assertThat(Framework.recognise(command)).isEmpty();
  }
}
