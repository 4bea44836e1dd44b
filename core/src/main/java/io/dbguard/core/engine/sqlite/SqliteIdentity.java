package io.dbguard.core.engine.sqlite;

import io.dbguard.core.backup.DatabaseIdentity;
import io.dbguard.core.engine.EngineKind;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A SQLite database's identity for manifests ({@link DatabaseIdentity}): its canonical path and
 * {@code PRAGMA application_id} (sqlite.org/pragma.html#pragma_application_id).
 */
final class SqliteIdentity {
  private SqliteIdentity() {}

  /** The identity from the path alone. */
  static Map<String, String> ofPath(Path file) {
    Map<String, String> id = new LinkedHashMap<>();
    id.put(DatabaseIdentity.ENGINE, EngineKind.SQLITE.displayName());
    id.put("path", DatabaseIdentity.canonical(file.toString()));
    return id;
  }

  /** The identity with the application id read over {@code c}. */
  static Map<String, String> of(Path file, Connection c) throws SQLException {
    Map<String, String> id = ofPath(file);
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA application_id")) {
      if (rs.next()) {
        id.put(DatabaseIdentity.APPLICATION_ID, Long.toString(rs.getLong(1)));
      }
    }
    return id;
  }
}
