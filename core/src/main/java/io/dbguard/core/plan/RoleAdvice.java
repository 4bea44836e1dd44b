package io.dbguard.core.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a role's privileges into the plan's notices, each naming the least-privilege alternative. A
 * pure function ({@link #notices}); the alternative itself is {@link #leastPrivilegeSql}.
 *
 * <p>The model (PostgreSQL manual, "Privileges", "ALTER DEFAULT PRIVILEGES"): migrations run as a
 * <em>migration role</em> that owns the schema and its tables (ALTER and DROP need ownership); the
 * application runs as an <em>application role</em> with only {@code SELECT, INSERT, UPDATE, DELETE}
 * on the tables and {@code USAGE} on the sequences. A superuser, CREATEDB, CREATEROLE or a stray
 * TRUNCATE is needed by neither.
 */
public final class RoleAdvice {
  private RoleAdvice() {}

  /** The notices for {@code p}, most serious first; empty when there is nothing to say. */
  public static List<String> notices(RolePrivileges p) {
    List<String> out = new ArrayList<>();
    String r = "role " + p.role();
    if (p.superuser()) {
      out.add(
          r
              + " is a superuser: it bypasses every permission check and can drop or rewrite"
              + " anything on the server. Neither migrating nor running the application needs it:"
              + " migrate as a role that owns the schema, run the application as a role with DML"
              + " only.");
      return out;
    }
    if (p.ownedTables() > 0) {
      out.add(
          r
              + " owns "
              + p.ownedTables()
              + " of "
              + p.tables()
              + " tables (it can ALTER, DROP and TRUNCATE them): right for the role that migrates,"
              + " too much for the application. If the application connects as "
              + p.role()
              + " too, give it a role with DML only.");
    } else if (p.tables() > 0 && p.droppableTables() == 0) {
      out.add(
          r
              + " owns none of the "
              + p.tables()
              + " tables: right for the application, but migrations that ALTER or DROP an"
              + " existing table fail with permission denied (SQLSTATE 42501). Migrate as the role"
              + " that owns the schema.");
    }
    if (p.droppableTables() > p.ownedTables()) {
      out.add(
          r
              + " can DROP "
              + (p.droppableTables() - p.ownedTables())
              + " tables it does not own, as owner of their schema ("
              + String.join(", ", p.ownedSchemas())
              + "): the application must not run as the schema's owner.");
    }
    int strayTruncate = p.truncatableTables() - p.ownedTables();
    if (strayTruncate > 0) {
      out.add(
          r
              + " may TRUNCATE "
              + strayTruncate
              + " tables it does not own (TRUNCATE empties a table at once and fires no DELETE"
              + " triggers): an application role rarely needs it; REVOKE TRUNCATE ON ALL TABLES"
              + " IN SCHEMA … FROM "
              + p.role()
              + ".");
    }
    if (p.createDb() || p.createRole()) {
      String what =
          p.createDb() && p.createRole()
              ? "CREATEDB and CREATEROLE"
              : p.createDb() ? "CREATEDB" : "CREATEROLE";
      out.add(
          r
              + " has "
              + what
              + ": not needed to migrate or to run the application; ALTER ROLE "
              + p.role()
              + (p.createDb() ? " NOCREATEDB" : "")
              + (p.createRole() ? " NOCREATEROLE" : "")
              + ".");
    }
    if (p.ownsDatabase()) {
      out.add(
          r
              + " owns the database, so it can DROP DATABASE it: keep database ownership with an"
              + " administrative role.");
    }
    return out;
  }

  /**
   * The least-privilege setup as SQL, for the plan's output: a migration role that owns the schema
   * and an application role with DML only, including default privileges so that tables the
   * migration role creates later are granted too.
   *
   * @param database the database name, used to name the roles ({@code <database>_migrator}, {@code
   *     <database>_app})
   * @param schema the schema, normally {@code public}
   */
  public static List<String> leastPrivilegeSql(String database, String schema) {
    String base = database.replaceAll("[^A-Za-z0-9_]", "_").toLowerCase(java.util.Locale.ROOT);
    String m = base + "_migrator";
    String a = base + "_app";
    return List.of(
        "CREATE ROLE "
            + m
            + " LOGIN; ALTER SCHEMA "
            + schema
            + " OWNER TO "
            + m
            + ";"
            + " -- and ALTER TABLE … OWNER TO "
            + m
            + " for each table",
        "CREATE ROLE " + a + " LOGIN; GRANT USAGE ON SCHEMA " + schema + " TO " + a + ";",
        "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
            + schema
            + " TO "
            + a
            + "; GRANT USAGE ON ALL SEQUENCES IN SCHEMA "
            + schema
            + " TO "
            + a
            + ";",
        "ALTER DEFAULT PRIVILEGES FOR ROLE "
            + m
            + " IN SCHEMA "
            + schema
            + " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "
            + a
            + "; ALTER DEFAULT PRIVILEGES FOR ROLE "
            + m
            + " IN SCHEMA "
            + schema
            + " GRANT USAGE ON SEQUENCES TO "
            + a
            + ";");
  }
}
