package io.dbguard.core.engine;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A parsed database location. Accepted forms:
 *
 * <ul>
 *   <li>{@code postgresql://user:password@host:5432/dbname?sslmode=require} (also {@code
 *       postgres://})
 *   <li>{@code jdbc:postgresql://host:5432/dbname?user=u&password=p}
 *   <li>{@code sqlite:/path/to/app.db}, {@code sqlite:relative.db}, {@code
 *       jdbc:sqlite:/path/app.db}
 * </ul>
 *
 * <p>The password is held only here; {@link #toString()} and {@link #redacted()} never include it,
 * so a target can be logged or put in an exception message safely.
 */
public final class DatabaseTarget {
  private final EngineKind kind;
  private final String host;
  private final int port;
  private final String database;
  private final String user;
  private final String password;
  private final Map<String, String> parameters;
  private final Path sqliteFile;

  private static final String PERCENT_ENCODE =
      " (percent-encode special characters in the user and password: / as %2F, ? as %3F, # as"
          + " %23, @ as %40, % as %25)";

  private DatabaseTarget(
      EngineKind kind,
      String host,
      int port,
      String database,
      String user,
      String password,
      Map<String, String> parameters,
      Path sqliteFile) {
    this.kind = kind;
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.password = password;
    this.parameters = Map.copyOf(parameters);
    this.sqliteFile = sqliteFile;
  }

  /**
   * Parses a database URL.
   *
   * @throws DbguardException reason {@code InvalidDatabaseUrl}; the message shows no part of the
   *     value beyond its scheme ({@link Secrets#describeUnparsed}): an unparseable value may be, or
   *     contain, a password
   */
  public static DatabaseTarget parse(String url) {
    if (url == null || url.isBlank()) {
      throw new DbguardException("InvalidDatabaseUrl", "no database URL given");
    }
    String u = url.trim();
    if (u.startsWith("jdbc:sqlite:")) {
      return sqlite(Path.of(u.substring("jdbc:sqlite:".length())));
    }
    if (u.startsWith("sqlite:")) {
      String rest = u.substring("sqlite:".length());
      if (rest.startsWith("//")) {
        rest = rest.substring(2);
      }
      if (rest.isBlank()) {
        throw new DbguardException("InvalidDatabaseUrl", "sqlite URL has no file path");
      }
      return sqlite(Path.of(rest));
    }
    if (u.startsWith("jdbc:postgresql:")) {
      u = "postgresql:" + u.substring("jdbc:postgresql:".length());
    } else if (u.startsWith("postgres://")) {
      u = "postgresql://" + u.substring("postgres://".length());
    }
    if (!u.startsWith("postgresql://")) {
      throw new DbguardException(
          "InvalidDatabaseUrl",
          "unsupported database URL "
              + Secrets.describeUnparsed(url)
              + " (expected postgresql://user:password@host:port/db or sqlite:/path/to/file.db)");
    }
    URI uri;
    try {
      uri = new URI(u);
    } catch (URISyntaxException e) {
      throw new DbguardException(
          "InvalidDatabaseUrl",
          "malformed database URL "
              + Secrets.describeUnparsed(url)
              + ": "
              + e.getReason()
              + PERCENT_ENCODE);
    }
    if (uri.getHost() == null && uri.getRawAuthority() != null) {
      throw new DbguardException(
          "InvalidDatabaseUrl",
          "malformed database URL "
              + Secrets.describeUnparsed(url)
              + ": cannot read host and port (expected host:5432)"
              + PERCENT_ENCODE);
    }
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String db = path.startsWith("/") ? path.substring(1) : path;
    if (db.isEmpty()) {
      throw new DbguardException(
          "InvalidDatabaseUrl",
          "database URL " + Secrets.describeUnparsed(url) + " names no database" + PERCENT_ENCODE);
    }
    Map<String, String> params = new LinkedHashMap<>();
    String user = null;
    String password = null;
    try {
      if (uri.getRawQuery() != null) {
        for (String kv : uri.getRawQuery().split("&")) {
          if (kv.isEmpty()) {
            continue;
          }
          int eq = kv.indexOf('=');
          String k = decode(eq < 0 ? kv : kv.substring(0, eq));
          String v = eq < 0 ? "" : decode(kv.substring(eq + 1));
          // user= and password= in any letter case are the credentials, never parameters
          if (k.equalsIgnoreCase("user")) {
            user = v;
          } else if (k.equalsIgnoreCase("password")) {
            password = v;
          } else {
            params.put(k, v);
          }
        }
      }
      if (uri.getRawUserInfo() != null) {
        String ui = uri.getRawUserInfo();
        int colon = ui.indexOf(':');
        user = user != null ? user : decode(colon < 0 ? ui : ui.substring(0, colon));
        password = password != null || colon < 0 ? password : decode(ui.substring(colon + 1));
      }
      db = decode(db);
    } catch (IllegalArgumentException badEscape) {
      throw new DbguardException(
          "InvalidDatabaseUrl",
          "malformed database URL "
              + Secrets.describeUnparsed(url)
              + ": a % not followed by two hex digits"
              + PERCENT_ENCODE);
    }
    return new DatabaseTarget(EngineKind.POSTGRESQL, host, port, db, user, password, params, null);
  }

  /** A SQLite target for a file path. */
  public static DatabaseTarget sqlite(Path file) {
    return new DatabaseTarget(
        EngineKind.SQLITE,
        null,
        -1,
        file.getFileName() == null ? file.toString() : file.getFileName().toString(),
        null,
        null,
        Map.of(),
        file.toAbsolutePath().normalize());
  }

  /** A copy pointing at another PostgreSQL database on the same server (same credentials). */
  public DatabaseTarget withDatabase(String otherDatabase) {
    requirePostgres();
    return new DatabaseTarget(kind, host, port, otherDatabase, user, password, parameters, null);
  }

  /**
   * The same database name, user and password on another PostgreSQL server (e.g. a private server
   * on a snapshot copy of the data directory).
   *
   * @param otherHost host name or address
   * @param otherPort TCP port
   * @param otherParameters connection parameters (e.g. {@code sslmode=disable}), replacing this
   *     target's
   * @throws IllegalStateException when this is not a PostgreSQL target
   */
  public DatabaseTarget onServer(
      String otherHost, int otherPort, Map<String, String> otherParameters) {
    requirePostgres();
    return new DatabaseTarget(
        kind, otherHost, otherPort, database, user, password, otherParameters, null);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /**
   * Replaces any password in URL-like text with {@code ***} ({@link Secrets#redactUrls}); needs no
   * parsing, safe on any input.
   */
  public static String redact(String url) {
    return Secrets.redactUrls(url);
  }

  /** Whether a connection parameter holds a secret ({@code sslpassword}, …): printed as ***. */
  static boolean isSecretParameter(String key) {
    String k = key.toLowerCase(java.util.Locale.ROOT);
    return k.contains("password")
        || k.contains("passwd")
        || k.equals("pwd")
        || k.contains("secret");
  }

  private void requirePostgres() {
    if (kind != EngineKind.POSTGRESQL) {
      throw new IllegalStateException("not a PostgreSQL target: " + this);
    }
  }

  public EngineKind kind() {
    return kind;
  }

  /** PostgreSQL host; null for SQLite. */
  public String host() {
    return host;
  }

  /** PostgreSQL port; -1 for SQLite. */
  public int port() {
    return port;
  }

  /** PostgreSQL database name, or the SQLite file name. */
  public String database() {
    return database;
  }

  /** PostgreSQL user, may be null (libpq defaults apply). */
  public String user() {
    return user;
  }

  /**
   * The password, or null. Pass it to child processes only through the environment ({@code
   * PGPASSWORD}) or JDBC properties, never on a command line.
   */
  public String password() {
    return password;
  }

  /**
   * Extra connection parameters (e.g. {@code sslmode}), without user/password. Secret ones (e.g.
   * {@code sslpassword}) are shown as {@code ***} by {@link #redacted()}.
   */
  public Map<String, String> parameters() {
    return parameters;
  }

  /** Absolute SQLite file; null for PostgreSQL. */
  public Path sqliteFile() {
    return sqliteFile;
  }

  /** JDBC URL without credentials (pass user and password as properties). */
  public String jdbcUrl() {
    if (kind == EngineKind.SQLITE) {
      return "jdbc:sqlite:" + sqliteFile;
    }
    StringBuilder sb =
        new StringBuilder("jdbc:postgresql://")
            .append(host)
            .append(':')
            .append(port)
            .append('/')
            .append(database);
    String sep = "?";
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
      sep = "&";
    }
    return sb.toString();
  }

  /**
   * libpq-style environment for {@code pg_dump}, {@code pg_restore}, {@code psql} and application
   * migration commands: {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code
   * PGPASSWORD}, {@code PGSSLMODE} when set. For SQLite, empty.
   */
  public Map<String, String> libpqEnvironment() {
    Map<String, String> env = new LinkedHashMap<>();
    if (kind != EngineKind.POSTGRESQL) {
      return env;
    }
    env.put("PGHOST", host);
    env.put("PGPORT", Integer.toString(port));
    env.put("PGDATABASE", database);
    if (user != null) {
      env.put("PGUSER", user);
    }
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    if (parameters.containsKey("sslmode")) {
      env.put("PGSSLMODE", parameters.get("sslmode"));
    }
    return env;
  }

  /**
   * The full URL including the password, for handing to an application's migration command in its
   * environment ({@code DATABASE_URL}). Never log it.
   */
  public String secretUrl() {
    if (kind == EngineKind.SQLITE) {
      return "sqlite:" + sqliteFile;
    }
    return url(true);
  }

  /** The URL with the password replaced by {@code ***}; safe for logs, status and messages. */
  public String redacted() {
    if (kind == EngineKind.SQLITE) {
      return "sqlite:" + sqliteFile;
    }
    return url(false);
  }

  private String url(boolean withPassword) {
    StringBuilder sb = new StringBuilder("postgresql://");
    if (user != null) {
      sb.append(java.net.URLEncoder.encode(user, StandardCharsets.UTF_8).replace("+", "%20"));
      if (password != null) {
        sb.append(':')
            .append(
                withPassword
                    ? java.net.URLEncoder.encode(password, StandardCharsets.UTF_8)
                        .replace("+", "%20")
                    : "***");
      }
      sb.append('@');
    }
    sb.append(host).append(':').append(port).append('/').append(database);
    String sep = "?";
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      sb.append(sep)
          .append(e.getKey())
          .append('=')
          .append(!withPassword && isSecretParameter(e.getKey()) ? "***" : e.getValue());
      sep = "&";
    }
    return sb.toString();
  }

  /** Identity for manifests: host, port and database, or the SQLite path. No credentials. */
  public Map<String, String> identity() {
    Map<String, String> id = new LinkedHashMap<>();
    if (kind == EngineKind.SQLITE) {
      id.put("path", sqliteFile.toString());
    } else {
      id.put("host", host);
      id.put("port", Integer.toString(port));
      id.put("database", database);
      if (user != null) {
        id.put("user", user);
      }
    }
    return id;
  }

  @Override
  public String toString() {
    return redacted();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DatabaseTarget t && Objects.equals(secretUrl(), t.secretUrl());
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, host, port, database, user, sqliteFile);
  }
}
