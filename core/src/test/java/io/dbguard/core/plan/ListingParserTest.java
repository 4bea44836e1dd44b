package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The listing formats as the frameworks print them (recorded output). */
class ListingParserTest {

  static List<String> ids(List<PendingMigration> l) {
    return l.stream().map(PendingMigration::id).toList();
  }

  @Test
  void knexMigrateListWithColoursAndWithoutPending() {
    String out =
        "Using environment: production\n"
            + "\u001B[32mFound 2 Completed Migration file/files.\u001B[39m\n"
            + "\u001B[36m20261101_create_users.js \u001B[39m\n"
            + "\u001B[36m20261102_add_phone.js \u001B[39m\n"
            + "\u001B[32mFound 2 Pending Migration file/files.\u001B[39m\n"
            + "\u001B[36m20261120_orders.js \u001B[39m\n"
            + "\u001B[36m20261122_drop_phone.js \u001B[39m\n";
    assertThat(ids(ListingParser.parse(Framework.KNEX, out)))
        .containsExactly("20261120_orders.js", "20261122_drop_phone.js");
    assertThat(
            ListingParser.parse(
                Framework.KNEX,
                "Found 1 Completed Migration file/files.\n20261101_create_users.js \n"
                    + "No Pending Migration files Found.\n"))
        .isEmpty();
    assertThatThrownBy(() -> ListingParser.parse(Framework.KNEX, "Error: connect ECONNREFUSED\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Pending Migration");
  }

  @Test
  void sequelizeMigrateStatus() {
    String out =
        "\nSequelize CLI [Node: 18.19.0, CLI: 6.6.2, ORM: 6.35.2]\n\n"
            + "Loaded configuration file \"config/config.json\".\n"
            + "Using environment \"production\".\n"
            + "up 20261101000000-create-user.js\n"
            + "down 20261120000000-add-orders.js\n"
            + "down 20261122000000-drop-phone.js\n";
    assertThat(ids(ListingParser.parse(Framework.SEQUELIZE, out)))
        .containsExactly("20261120000000-add-orders.js", "20261122000000-drop-phone.js");
    assertThatThrownBy(() -> ListingParser.parse(Framework.SEQUELIZE, "command not found\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("db:migrate:status");
  }

  @Test
  void djangoShowmigrationsPlan() {
    String out =
        "System check identified no issues (0 silenced).\n"
            + "[X]  contenttypes.0001_initial\n"
            + "[X]  shop.0001_initial\n"
            + "[ ]  shop.0002_add_phone\n"
            + "[ ]  shop.0003_remove_phone\n";
    assertThat(ids(ListingParser.parse(Framework.DJANGO, out)))
        .containsExactly("shop.0002_add_phone", "shop.0003_remove_phone");
  }

  @Test
  void djangoShowmigrationsByAppAndMigratePlan() {
    String list = "shop\n [X] 0001_initial\n [ ] 0002_add_phone\nbilling\n (no migrations)\n";
    assertThat(ids(ListingParser.parse(Framework.DJANGO, list)))
        .containsExactly("shop.0002_add_phone");
    String plan =
        "Planned operations:\nshop.0002_add_phone\n    Add field phone to customer\n"
            + "shop.0003_remove_phone\n    Remove field phone from customer\n";
    assertThat(ids(ListingParser.parse(Framework.DJANGO, plan)))
        .containsExactly("shop.0002_add_phone", "shop.0003_remove_phone");
    assertThat(
            ListingParser.parse(
                Framework.DJANGO, "Planned operations:\n  No planned migration operations.\n"))
        .isEmpty();
    assertThat(ListingParser.parse(Framework.DJANGO, "[X]  shop.0001_initial\n")).isEmpty();
  }

  @Test
  void djangoOutputWithoutAListingIsRefusedNotReadAsNothingPending() {
    assertThatThrownBy(
            () ->
                ListingParser.parse(
                    Framework.DJANGO,
                    "django.db.utils.OperationalError: unable to open database file\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("showmigrations --plan");
  }

  @Test
  void railsMigrateStatus() {
    String out =
        "\ndatabase: db/production.sqlite3\n\n Status   Migration ID    Migration Name\n"
            + "--------------------------------------------------\n"
            + "   up     20261101000000  Create users\n"
            + "  down    20261122101500  Add phone to users\n"
            + "  down    20261122101600  Remove legacy flag\n\n";
    List<PendingMigration> p = ListingParser.parse(Framework.RAILS, out);
    assertThat(ids(p)).containsExactly("20261122101500", "20261122101600");
    assertThat(p.get(0).description()).isEqualTo("Add phone to users");
    assertThatThrownBy(() -> ListingParser.parse(Framework.RAILS, "rake aborted!\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void prismaMigrateStatus() {
    String pending =
        "Prisma schema loaded from prisma/schema.prisma\n"
            + "Datasource \"db\": PostgreSQL database \"shop\", schema \"public\" at \"db:5432\"\n\n"
            + "3 migrations found in prisma/migrations\n\n"
            + "Following migrations have not yet been applied:\n"
            + "20261122101500_add_phone\n20261122101600_drop_flag\n\n"
            + "To apply migrations in production run prisma migrate deploy.\n";
    assertThat(ids(ListingParser.parse(Framework.PRISMA, pending)))
        .containsExactly("20261122101500_add_phone", "20261122101600_drop_flag");
    assertThat(
            ListingParser.parse(
                Framework.PRISMA,
                "1 migration found in prisma/migrations\n\nDatabase schema is up to date!\n"))
        .isEmpty();
    assertThatThrownBy(
            () -> ListingParser.parse(Framework.PRISMA, "Error: P1001: Can't reach database\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void alembicCurrentAndHistory() {
    String out =
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n"
            + "1975ea83b712\n"
            + "27c6a30d7c24 -> 3512b954651e (head), add phone\n"
            + "ae1027a6acf -> 27c6a30d7c24, add index\n"
            + "1975ea83b712 -> ae1027a6acf, create orders\n"
            + "<base> -> 1975ea83b712, create account table\n";
    List<PendingMigration> p = ListingParser.parse(Framework.ALEMBIC, out);
    assertThat(ids(p)).containsExactly("ae1027a6acf", "27c6a30d7c24", "3512b954651e");
    assertThat(p.get(0).description()).isEqualTo("create orders");
    String atHead =
        "3512b954651e (head)\n27c6a30d7c24 -> 3512b954651e (head), add phone\n"
            + "<base> -> 27c6a30d7c24, init\n";
    assertThat(ListingParser.parse(Framework.ALEMBIC, atHead)).isEmpty();
    String atBase = "ae1027a6acf -> 27c6a30d7c24 (head), x\n<base> -> ae1027a6acf, init\n";
    assertThat(ids(ListingParser.parse(Framework.ALEMBIC, atBase)))
        .containsExactly("ae1027a6acf", "27c6a30d7c24");
    assertThatThrownBy(() -> ListingParser.parse(Framework.ALEMBIC, "FAILED: bad config\n"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
