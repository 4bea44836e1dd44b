package io.dbguard.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shop database holds, read read-only from its file on the claim: every table's schema,
 * row count and a SHA-256 over all its rows in the order of all columns, so "identical after the
 * rollback" is a comparison of content, not only of counts.
 */
public final class ShopData {
  private ShopData() {}

  /**
   * One table.
   *
   * @param rows row count
   * @param sha256 hex SHA-256 over the {@code CREATE TABLE} text and every row (ordered by all
   *     columns)
   */
  public record Table(long rows, String sha256) {}

  /**
   * Tables by name (sorted; SQLite's own {@code sqlite_*} tables left out); empty when the file
   * does not exist.
   *
   * @throws DemoFailure when the file cannot be read
   */
  static Map<String, Table> read(Path file) {
    Map<String, Table> out = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file + "?mode=ro");
        Statement s = c.createStatement()) {
      List<String[]> tables = new ArrayList<>();
      try (ResultSet r =
          s.executeQuery(
              "SELECT name, sql FROM sqlite_master WHERE type = 'table'"
                  + " AND name NOT LIKE 'sqlite_%' ORDER BY name")) {
        while (r.next()) {
          tables.add(new String[] {r.getString(1), r.getString(2)});
        }
      }
      for (String[] t : tables) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(t[1].getBytes(StandardCharsets.UTF_8));
        long rows = 0;
        String table = "\"" + t[0].replace("\"", "\"\"") + "\"";
        int cols;
        try (ResultSet r = s.executeQuery("SELECT * FROM " + table + " LIMIT 0")) {
          cols = r.getMetaData().getColumnCount();
        }
        // every column in the ORDER BY: a total order, whatever the file's page layout
        StringBuilder order = new StringBuilder();
        for (int i = 1; i <= cols; i++) {
          order.append(i == 1 ? "" : ", ").append(i);
        }
        try (ResultSet r = s.executeQuery("SELECT * FROM " + table + " ORDER BY " + order)) {
          while (r.next()) {
            rows++;
            for (int i = 1; i <= cols; i++) {
              String v = r.getString(i);
              sha.update((v == null ? "\0NULL" : v).getBytes(StandardCharsets.UTF_8));
              sha.update((byte) 0x1f);
            }
            sha.update((byte) 0x1e);
          }
        }
        out.put(t[0], new Table(rows, HexFormat.of().formatHex(sha.digest())));
      }
    } catch (SQLException e) {
      throw new DemoFailure("cannot read the shop database " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  /** {@code customers 120 · orders 246 · …} (row counts), or {@code (no database)}. */
  static String summary(Map<String, Table> tables) {
    if (tables.isEmpty()) {
      return "(no database)";
    }
    List<String> parts = new ArrayList<>();
    tables.forEach((name, t) -> parts.add(name + " " + t.rows()));
    return String.join(" · ", parts);
  }
}
