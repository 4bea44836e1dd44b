package io.dbguard.core.migrate;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.function.Consumer;

/**
 * Runs one SQL file (typically a seed) through JDBC in a single transaction: all of it or none of
 * it. The file is sent as one script; both drivers execute multi-statement scripts (pgjdbc through
 * the simple query protocol, sqlite-jdbc by stepping through the statements). Failures are reason
 * {@code SeedFailed} (or {@code SchemaConflict} for "already exists").
 */
public final class SqlScriptRunner implements MigrationRunner {
  private final Path file;

  /**
   * @throws DbguardException reason {@code InvalidSeed} when the file does not exist
   */
  public SqlScriptRunner(Path file) {
    if (file == null || !Files.isRegularFile(file)) {
      throw new DbguardException("InvalidSeed", "SQL file " + file + " does not exist");
    }
    this.file = file.toAbsolutePath().normalize();
  }

  @Override
  public String describe() {
    return "SQL script " + file;
  }

  @Override
  public String run(DatabaseTarget target, Consumer<String> output) {
    String sql;
    try {
      sql = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DbguardException("InvalidSeed", "cannot read " + file + ": " + e.getMessage(), e);
    }
    Properties p = new Properties();
    if (target.user() != null) {
      p.setProperty("user", target.user());
    }
    if (target.password() != null) {
      p.setProperty("password", target.password());
    }
    try (Connection c = DriverManager.getConnection(target.jdbcUrl(), p)) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        output.accept("running " + file.getFileName());
        s.executeUpdate(sql);
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      }
      return "applied " + file.getFileName();
    } catch (SQLException e) {
      String msg = DatabaseTarget.redact(e.getMessage());
      throw new DbguardException(
          SchemaConflicts.classify(e, msg) == SchemaConflicts.Kind.SCHEMA_CONFLICT
              ? "SchemaConflict"
              : "SeedFailed",
          file.getFileName() + " failed and was rolled back: " + msg,
          e);
    }
  }
}
