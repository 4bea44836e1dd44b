package io.dbguard.core.engine.sqlite;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.sqlite.SQLiteJDBCLoader;

/** What every part of {@link SqliteEngine} shares: file names, connections, quoting, messages. */
final class SqliteFiles {
  static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** Between the database file name and the stamp in a failed copy's name. */
  static final String FAILED_INFIX = ".failed-";

  /** Files SQLite keeps beside a database file. */
  static final List<String> SIDECARS = List.of("-wal", "-shm", "-journal");

  /** A failed copy's files as suffixes to its name, the copy itself first. */
  static final List<String> FAILED_COPY_FILES =
      Stream.concat(Stream.of(""), SIDECARS.stream()).toList();

  /** Pages copied per backup-API step (4 KiB pages: 64 MiB per step). */
  static final int PAGES_PER_STEP = 16_384;

  /** Milliseconds a connection waits for a lock before SQLITE_BUSY. */
  static final int BUSY_TIMEOUT_MILLIS = 5_000;

  private SqliteFiles() {}

  static Connection open(Path db, boolean create) throws SQLException {
    if (!create && !Files.exists(db)) {
      throw new SQLException("database file " + db + " does not exist");
    }
    Properties p = new Properties();
    p.setProperty("busy_timeout", Integer.toString(BUSY_TIMEOUT_MILLIS));
    return DriverManager.getConnection("jdbc:sqlite:" + db, p);
  }

  /**
   * Read-only, no locking and no journal/WAL lookup: for backup files dbguard owns and nobody
   * writes. Reads are memory-mapped (up to {@link #MMAP_BYTES}) with a 256 MiB page cache, which
   * makes the full-file reads of integrity_check and the profile much cheaper than the default 2
   * MiB cache with read() calls.
   */
  static Connection openImmutable(Path db) throws SQLException {
    Properties p = new Properties();
    p.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
    Connection c =
        DriverManager.getConnection(
            "jdbc:sqlite:file:" + db.toAbsolutePath().toUri().getRawPath() + "?immutable=1", p);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA mmap_size=" + MMAP_BYTES);
      s.execute("PRAGMA cache_size=-262144");
    } catch (SQLException e) {
      c.close();
      throw e;
    }
    return c;
  }

  /** Largest memory map for reading a backup file: 16 GiB (SQLite caps it at its own limit). */
  static final long MMAP_BYTES = 16L << 30;

  static String sqliteVersion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT sqlite_version()")) {
      rs.next();
      return rs.getString(1);
    }
  }

  static int pragmaInt(Connection c, String pragma) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** The sqlite-jdbc driver version, e.g. {@code 3.54.1.0}. */
  public static String driverVersion() {
    String v = SQLiteJDBCLoader.getVersion();
    return v == null ? "unknown" : v;
  }

  static String quoteIdent(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  static String sqliteQuote(String s) {
    return "\"" + s.replace("\"", "\\\"") + "\"";
  }

  /** POSIX shell single-quoting. */
  public static String shellQuote(String s) {
    if (s.matches("[A-Za-z0-9_./:=@%+-]+")) {
      return s;
    }
    return "'" + s.replace("'", "'\\''") + "'";
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
      Files.deleteIfExists(Path.of(p + "-journal"));
    } catch (IOException ignored) {
      // best effort cleanup of our own temp file
    }
  }

  /** A SQLite primary result code in words (https://www.sqlite.org/rescode.html). */
  static String resultCode(String what, int rc) {
    String words =
        switch (rc & 0xff) {
          case 5 -> "SQLITE_BUSY: another connection holds a lock";
          case 8 -> "SQLITE_READONLY: the destination is read-only";
          case 10 -> "SQLITE_IOERR: an I/O error";
          case 13 -> "SQLITE_FULL: the disk is full";
          case 14 -> "SQLITE_CANTOPEN: cannot open the file";
          case 26 -> "SQLITE_NOTADB: not a SQLite database";
          default -> "SQLite result code " + rc;
        };
    return what + " failed with " + words;
  }

  static String describe(Exception e) {
    String m = e.getMessage();
    if (e instanceof java.nio.file.NoSuchFileException) {
      return "no such file " + m;
    }
    if (e instanceof java.nio.file.AccessDeniedException) {
      return "permission denied on " + m;
    }
    if (m != null && m.contains("No space left")) {
      return "the disk is full (" + m + ")";
    }
    if (m != null && (m.contains("SQLITE_FULL") || m.contains("database or disk is full"))) {
      return "the disk is full (" + m + ")";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
