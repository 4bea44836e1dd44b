package io.dbguard.core.engine.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ReadOnly write fence on the real server: an application role (its own login) and the
 * migration role (owner of the database) as a careful team sets them up.
 */
class PgReadOnlyFenceTest {
  private PgTestServer pg;
  private String db;
  private String mig;
  private String app;
  private DatabaseTarget migTarget;
  private DatabaseTarget appTarget;

  @BeforeEach
  void setUp() {
    pg = new PgTestServer();
    db = pg.createDatabase("fence");
    mig = pg.createRole("mig", "mig-pw", "");
    app = pg.createRole("app", "app-pw", "");
    pg.sql(
        "postgres",
        "ALTER DATABASE " + db + " OWNER TO " + mig,
        "GRANT pg_signal_backend TO " + mig);
    migTarget = pg.target(db, mig, "mig-pw");
    appTarget = pg.target(db, app, "app-pw");
    PgTestServer.sql(
        migTarget,
        "CREATE TABLE orders (id serial PRIMARY KEY, total int)",
        "INSERT INTO orders (total) VALUES (1), (2)",
        "GRANT SELECT, INSERT ON orders TO " + app,
        "GRANT USAGE ON SEQUENCE orders_id_seq TO " + app);
  }

  @AfterEach
  void tearDown() {
    pg.close();
  }

  private PgReadOnlyFence fence() {
    return PgReadOnlyFence.of(migTarget, PostgresOptions.defaults());
  }

  private static String insertState(Connection c) {
    try (Statement st = c.createStatement()) {
      st.execute("INSERT INTO orders (total) VALUES (42)");
      return "ok";
    } catch (SQLException e) {
      return e.getSQLState();
    }
  }

  private static long count(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM orders")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private long settingsRows() {
    return pg.count(
        "postgres",
        "SELECT count(*) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase"
            + " WHERE d.datname = '"
            + db
            + "'");
  }

  @Test
  void theApplicationReadsButCannotWriteUntilTheFenceIsLifted() throws Exception {
    try (Connection pooled = PgTestServer.connect(appTarget)) {
      assertThat(count(pooled)).isEqualTo(2);

      String raised = fence().raise();

      assertThat(raised)
          .contains("read-only for every role but " + mig)
          .contains("ended 1 session");
      // a session opened before the fence kept its defaults: it was ended
      assertThatThrownBy(() -> count(pooled)).isInstanceOf(SQLException.class);
    }
    assertThat(fence().isRaised()).isTrue();
    try (Connection during = PgTestServer.connect(appTarget)) {
      assertThat(insertState(during)).isEqualTo("25006"); // read_only_sql_transaction
      assertThat(count(during)).isEqualTo(2);
      try (Connection migration = PgTestServer.connect(migTarget)) {
        assertThat(insertState(migration)).isEqualTo("ok");
      }

      String lifted = fence().lift();

      assertThat(lifted).contains("writable again").contains("ended 1 session");
      // the session opened during the window kept the read-only default: it was ended too
      assertThatThrownBy(() -> count(during)).isInstanceOf(SQLException.class);
    }
    try (Connection after = PgTestServer.connect(appTarget)) {
      assertThat(insertState(after)).isEqualTo("ok");
      assertThat(count(after)).isEqualTo(4);
    }
    assertThat(fence().isRaised()).isFalse();
    assertThat(settingsRows()).isZero();
  }

  @Test
  void aFenceLeftByADeadRunIsTakenOverAndLiftedOnce() {
    fence().raise();

    assertThat(fence().raise()).contains("took over the fence an earlier, unfinished run left");
    assertThat(fence().lift()).contains("writable again");
    assertThat(fence().lift()).contains("carries no read-only fence");
    assertThat(settingsRows()).isZero();
  }

  @Test
  void anApplicationOnTheMigrationRoleIsRefusedAndNothingIsSet() throws Exception {
    try (Connection sameRole = PgTestServer.connect(migTarget)) {
      assertThatThrownBy(() -> fence().raise())
          .isInstanceOfSatisfying(
              DbguardException.class,
              e -> {
                assertThat(e.reason()).isEqualTo("FenceFailed");
                assertThat(e.getMessage())
                    .contains("the role dbguard migrates as")
                    .contains("Nothing was changed");
              });
      assertThat(count(sameRole)).isEqualTo(2);
    }
    assertThat(settingsRows()).isZero();
  }

  @Test
  void withoutPgSignalBackendTheGrantIsNamedAndNothingIsSet() {
    pg.sql("postgres", "REVOKE pg_signal_backend FROM " + mig);

    assertThatThrownBy(() -> fence().raise())
        .isInstanceOfSatisfying(
            DbguardException.class,
            e -> assertThat(e.getMessage()).contains("GRANT pg_signal_backend TO " + mig + ";"));
    assertThat(settingsRows()).isZero();
  }

  @Test
  void aRoleThatDoesNotOwnTheDatabaseIsRefused() {
    pg.sql("postgres", "ALTER DATABASE " + db + " OWNER TO " + app);

    assertThatThrownBy(() -> fence().raise())
        .isInstanceOfSatisfying(
            DbguardException.class,
            e -> assertThat(e.getMessage()).contains("only the owner can run").contains(app));
    assertThat(settingsRows()).isZero();
  }

  @Test
  void aDatabaseMadeReadOnlyBySomeoneElseIsNeitherFencedNorReopened() {
    pg.sql("postgres", "ALTER DATABASE " + db + " SET default_transaction_read_only = on");

    assertThatThrownBy(() -> fence().raise())
        .isInstanceOfSatisfying(
            DbguardException.class,
            e -> assertThat(e.getMessage()).contains("which dbguard did not set"));
    assertThat(fence().isRaised()).isFalse();
    assertThat(fence().lift()).contains("left alone");
    assertThat(settingsRows()).isEqualTo(1);
  }
}
