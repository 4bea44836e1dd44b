package io.dbguard.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dbguard.core.testing.TestPostgres;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConnectionProbeTest {
  static final String SECRET = "N0t-The-Password";

  @TempDir Path tmp;

  static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void unreachableServerIsConnectionFailedWithoutThePassword() throws Exception {
    DatabaseTarget t =
        DatabaseTarget.parse("postgresql://app:" + SECRET + "@127.0.0.1:" + closedPort() + "/shop");
    assertThatThrownBy(() -> ConnectionProbe.check(t))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("cannot connect to postgresql://app:***@127.0.0.1")
        .hasMessageNotContaining(SECRET)
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("ConnectionFailed");
  }

  @Test
  void wrongPasswordIsAuthenticationFailed() throws Exception {
    DatabaseTarget server = TestPostgres.server();
    // a role that really needs a password (the superuser may be trusted on loopback)
    try (var c = TestPostgres.connect(server);
        var s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS dbguard_probe");
      s.execute("CREATE ROLE dbguard_probe LOGIN PASSWORD 'right-password'");
    }
    DatabaseTarget wrong =
        DatabaseTarget.parse(
            "postgresql://dbguard_probe:"
                + SECRET
                + "@"
                + server.host()
                + ":"
                + server.port()
                + "/postgres");
    DatabaseTarget right =
        DatabaseTarget.parse(
            "postgresql://dbguard_probe:right-password@"
                + server.host()
                + ":"
                + server.port()
                + "/postgres");
    ConnectionProbe.check(right);
    assertThatThrownBy(() -> ConnectionProbe.check(wrong))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("refused the credentials")
        .hasMessageNotContaining(SECRET)
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("AuthenticationFailed");
    DatabaseTarget missing = right.withDatabase("no_such_db_dbguard");
    assertThatThrownBy(() -> ConnectionProbe.check(missing))
        .isInstanceOf(DbguardException.class)
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("DatabaseNotFound");
  }

  @Test
  void malformedUrlIsRejectedWithoutThePassword() {
    assertThatThrownBy(
            () -> DatabaseTarget.parse("postgresql://app:" + SECRET + "@host:notaport/db"))
        .isInstanceOf(DbguardException.class)
        .hasMessageNotContaining(SECRET)
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("InvalidDatabaseUrl");
    assertThatThrownBy(() -> DatabaseTarget.parse("mysql://root:" + SECRET + "@h/db"))
        .hasMessageNotContaining(SECRET)
        .hasMessageContaining("unsupported");
  }

  @Test
  void sqliteInMissingDirectoryOrNotADatabase() throws Exception {
    assertThatThrownBy(
            () -> ConnectionProbe.check(DatabaseTarget.sqlite(tmp.resolve("no/dir/app.db"))))
        .isInstanceOf(DbguardException.class)
        .hasMessageContaining("does not exist")
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("ConnectionFailed");
    Path junk = Files.writeString(tmp.resolve("junk.db"), "this is not a database at all, sorry");
    assertThatThrownBy(() -> ConnectionProbe.check(DatabaseTarget.sqlite(junk)))
        .isInstanceOf(DbguardException.class)
        .extracting(e -> ((DbguardException) e).reason())
        .isEqualTo("ConnectionFailed");
    ConnectionProbe.check(DatabaseTarget.sqlite(tmp.resolve("new.db")));
    assertThat(tmp.resolve("new.db")).doesNotExist();
  }
}
