package io.dbguard.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RoleAdviceTest {

  static RolePrivileges role(
      boolean superuser, boolean createDb, int tables, int owned, int droppable, int truncatable) {
    return new RolePrivileges(
        "app",
        superuser,
        createDb,
        false,
        false,
        tables,
        owned,
        droppable,
        truncatable,
        tables,
        List.of("public"));
  }

  @Test
  void aSuperuserGetsOneNoticeNamingBothRoles() {
    List<String> n = RoleAdvice.notices(role(true, true, 3, 3, 3, 3));
    assertThat(n).hasSize(1);
    assertThat(n.get(0)).contains("superuser", "owns the schema", "DML only");
  }

  @Test
  void anOwnerIsRightForMigratingNotForTheApplication() {
    List<String> n = RoleAdvice.notices(role(false, false, 3, 3, 3, 3));
    assertThat(n).singleElement().asString().contains("owns 3 of 3 tables", "DML only");
  }

  @Test
  void aDmlOnlyRoleCannotRunSchemaMigrations() {
    List<String> n = RoleAdvice.notices(role(false, false, 3, 0, 0, 0));
    assertThat(n).singleElement().asString().contains("owns none of the 3 tables", "42501");
  }

  @Test
  void strayTruncateCreateDbAndSchemaOwnershipAreEachNamed() {
    List<String> n = RoleAdvice.notices(role(false, true, 4, 0, 2, 4));
    assertThat(n).hasSize(3);
    assertThat(n.get(0)).contains("can DROP 2 tables it does not own", "public");
    assertThat(n.get(1)).contains("TRUNCATE 4 tables", "REVOKE TRUNCATE");
    assertThat(n.get(2)).contains("CREATEDB", "NOCREATEDB");
  }

  @Test
  void anEmptyDatabaseWithAPlainRoleGetsNoNotice() {
    assertThat(RoleAdvice.notices(role(false, false, 0, 0, 0, 0))).isEmpty();
    assertThat(RoleAdvice.leastPrivilegeSql("shop-db", "public"))
        .anySatisfy(s -> assertThat(s).contains("ALTER SCHEMA public OWNER TO shop_db_migrator"))
        .anySatisfy(
            s ->
                assertThat(s)
                    .contains(
                        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public"
                            + " TO shop_db_app"));
  }
}
