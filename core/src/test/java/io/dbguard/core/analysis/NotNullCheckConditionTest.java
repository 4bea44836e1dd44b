package io.dbguard.core.analysis;

import static io.dbguard.core.analysis.AnalysisFiles.ruleIds;
import static io.dbguard.core.analysis.AnalysisFiles.write;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SET NOT NULL after a validated CHECK whose condition is {@code col IS NOT NULL} skips the table
 * scan on PostgreSQL 12+, whatever the constraint's name: the online_migrations gem's {@code
 * add_not_null_constraint}/{@code validate_not_null_constraint}, Rails' {@code add_check_constraint
 * "col IS NOT NULL"}, and the same SQL. Examples written for this test.
 */
class NotNullCheckConditionTest {

  @TempDir Path dir;

  private Path rails(String root, String body) throws Exception {
    return write(
        dir,
        root + "/db/migrate/20240905101500_require_vacancy_status.rb",
        "class RequireVacancyStatus < ActiveRecord::Migration[7.1]\n" + body + "end\n");
  }

  @Test
  void theOnlineMigrationsRecipeIsNoScan() throws Exception {
    Path named =
        rails(
            "a",
            """
              disable_ddl_transaction!

              def up
                add_not_null_constraint :vacancies, :status, name: "vacancies_status_present", validate: false
                validate_not_null_constraint :vacancies, :status, name: "vacancies_status_present"
                change_column_null :vacancies, :status, false
                remove_check_constraint :vacancies, name: "vacancies_status_present"
              end
            """);
    Path unnamed =
        rails(
            "b",
            """
              disable_ddl_transaction!

              def up
                add_not_null_constraint :vacancies, :status, validate: false
                validate_not_null_constraint :vacancies, :status
                change_column_null :vacancies, :status, false
              end
            """);
    assertThat(ruleIds(named)).isEmpty();
    assertThat(ruleIds(unnamed)).isEmpty();
  }

  @Test
  void railsOwnCheckConstraintRecipeIsNoScan() throws Exception {
    Path f =
        rails(
            "c",
            """
              disable_ddl_transaction!

              def up
                add_check_constraint :vacancies, "status IS NOT NULL", name: "chk_vacancy_state", validate: false
                validate_check_constraint :vacancies, name: "chk_vacancy_state"
                change_column_null :vacancies, :status, false
                remove_check_constraint :vacancies, name: "chk_vacancy_state"
              end
            """);
    assertThat(ruleIds(f)).isEmpty();
  }

  @Test
  void aCheckAddedValidatedIsItsOwnWarningAndProvesTheColumn() throws Exception {
    Path f =
        rails(
            "d",
            """
              def up
                add_not_null_constraint :vacancies, :status, name: "chk_vacancy_state"
                change_column_null :vacancies, :status, false
              end
            """);
    assertThat(ruleIds(f)).containsExactly("DBG204");
  }

  @Test
  void theSqlRecipeWithAnyNameIsNoScan() throws Exception {
    Path f =
        write(
            dir,
            "e/V7__vacancy_status.sql",
            """
            ALTER TABLE vacancies ADD CONSTRAINT chk_vacancy_state
              CHECK ("status" IS NOT NULL) NOT VALID;
            ALTER TABLE vacancies VALIDATE CONSTRAINT chk_vacancy_state;
            ALTER TABLE vacancies ALTER COLUMN status SET NOT NULL;
            """);
    assertThat(ruleIds(f)).containsExactly("DBG212");
  }

  @Test
  void withoutAValidatedCheckOnTheColumnTheScanStays() throws Exception {
    Path none =
        rails(
            "f",
            """
              def up
                change_column_null :vacancies, :status, false
              end
            """);
    Path notValidated =
        rails(
            "g",
            """
              disable_ddl_transaction!

              def up
                add_not_null_constraint :vacancies, :status, name: "chk_vacancy_state", validate: false
                change_column_null :vacancies, :status, false
              end
            """);
    Path otherColumn =
        rails(
            "h",
            """
              disable_ddl_transaction!

              def up
                add_check_constraint :vacancies, "title IS NOT NULL", name: "chk_vacancy_title", validate: false
                validate_check_constraint :vacancies, name: "chk_vacancy_title"
                change_column_null :vacancies, :status, false
              end
            """);
    Path otherCondition =
        rails(
            "i",
            """
              disable_ddl_transaction!

              def up
                add_check_constraint :vacancies, "status IS NOT NULL OR archived", name: "chk_vacancy_state", validate: false
                validate_check_constraint :vacancies, name: "chk_vacancy_state"
                change_column_null :vacancies, :status, false
              end
            """);
    assertThat(ruleIds(none)).containsExactly("DBG208");
    assertThat(ruleIds(notValidated)).containsExactly("DBG208");
    assertThat(ruleIds(otherColumn)).containsExactly("DBG208");
    assertThat(ruleIds(otherCondition)).containsExactly("DBG208");
  }
}
