package io.dbguard.core.engine.postgres;

import io.dbguard.core.engine.DatabaseTarget;
import io.dbguard.core.engine.DbguardException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what a restore needs from a custom-format archive with {@code pg_restore --list}: the
 * ownership and privilege flags the restoring role can honour, and the database-level properties.
 */
final class PgArchive {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresEngine.class);

  private final PgContext ctx;
  private final DatabaseTarget target;
  private final PostgresOptions options;
  private final PgTools tools;

  PgArchive(PgContext ctx) {
    this.ctx = ctx;
    this.target = ctx.target();
    this.options = ctx.options();
    this.tools = ctx.tools();
  }

  private Connection open(DatabaseTarget t, String app) {
    return ctx.open(t, app);
  }

  private Connection openMaintenance(String app) {
    return ctx.openMaintenance(app);
  }

  /** Extra pg_restore flags: ownership and privileges only when the roles allow them. */
  record RestoreFlags(List<String> args, Set<String> missingRoles) {}

  RestoreFlags restoreFlags(Connection c, Path file, Path pgRestore, boolean superuser)
      throws SQLException {
    List<String> toc = runCapture(List.of(pgRestore.toString(), "--list", file.toString()));
    Set<String> owners = new TreeSet<>();
    List<String> aclLines = new ArrayList<>();
    Pattern entry = Pattern.compile("^\\d+; \\d+ \\d+ (.*) (\\S+)$");
    for (String line : toc) {
      if (line.startsWith(";") || line.isBlank()) {
        continue;
      }
      Matcher mm = entry.matcher(line);
      if (mm.matches()) {
        owners.add(mm.group(2));
        if (mm.group(1).startsWith("ACL ") || mm.group(1).startsWith("DEFAULT ACL ")) {
          aclLines.add(line);
        }
      }
    }
    Set<String> grantees = new TreeSet<>();
    if (!aclLines.isEmpty()) {
      Path list = null;
      try {
        list = Files.createTempFile("dbguard-acl", ".list");
        Files.write(list, aclLines);
        Pattern to =
            Pattern.compile("\\b(?:TO|FROM) (\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_$]*)");
        for (String l :
            runCapture(
                List.of(pgRestore.toString(), "--file=-", "--use-list=" + list, file.toString()))) {
          Matcher g = to.matcher(l);
          while (g.find()) {
            String r = g.group(1);
            if (r.startsWith("\"")) {
              r = r.substring(1, r.length() - 1).replace("\"\"", "\"");
            }
            if (!r.equals("PUBLIC")) {
              grantees.add(r);
            }
          }
        }
      } catch (IOException e) {
        throw new DbguardException("RestoreFailed", "cannot inspect archive privileges: " + e, e);
      } finally {
        Path l = list;
        ArchiveStreams.closeQuietly(() -> Files.deleteIfExists(l));
      }
    }
    Set<String> missing = new TreeSet<>();
    boolean ownersUsable = true;
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ?),"
                + " (SELECT pg_has_role(oid, 'MEMBER') FROM pg_roles WHERE rolname = ?)")) {
      for (String role : owners) {
        ps.setString(1, role);
        ps.setString(2, role);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            missing.add(role);
            ownersUsable = false;
          } else if (!superuser && !rs.getBoolean(2)) {
            ownersUsable = false;
          }
        }
      }
      boolean grantsUsable = true;
      for (String role : grantees) {
        ps.setString(1, role);
        ps.setString(2, role);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          if (!rs.getBoolean(1)) {
            missing.add(role);
            grantsUsable = false;
          }
        }
      }
      List<String> args = new ArrayList<>();
      if (!ownersUsable) {
        args.add("--no-owner");
      }
      if (!grantsUsable) {
        args.add("--no-privileges");
      }
      if (!args.isEmpty()) {
        LOG.warn(
            "restore {}: using {} (roles missing on this server: {}; objects will be owned by"
                + " the restoring role)",
            target.redacted(),
            args,
            missing);
      }
      return new RestoreFlags(List.copyOf(args), missing);
    }
  }

  /**
   * Database-level properties stored in the archive (comment, {@code ALTER DATABASE … SET}, {@code
   * ALTER ROLE … IN DATABASE … SET}, grants, owner), rewritten to name {@code newName}. A plain
   * restore into a pre-created database does not apply them (PostgreSQL manual, "pg_dump":
   * database-level settings); only {@code pg_restore --create} emits them. A read-only write fence
   * that was up when the backup was taken is left out ({@link PgReadOnlyFence#withoutFence}): a
   * restored database is never fenced by its backup.
   */
  List<String> databaseProperties(Path file, Path pgRestore, String newName, boolean superuser) {
    List<String> toc =
        runCapture(List.of(pgRestore.toString(), "--create", "--list", file.toString()));
    String archiveDb = null;
    List<String> selected = new ArrayList<>();
    Pattern dbEntry =
        Pattern.compile("^\\d+; \\d+ \\d+ (DATABASE |DATABASE PROPERTIES |\\S+ - DATABASE ).*");
    for (String line : toc) {
      if (line.startsWith(";") && line.contains("dbname:")) {
        archiveDb = line.substring(line.indexOf("dbname:") + "dbname:".length()).strip();
      } else if (dbEntry.matcher(line).matches()) {
        selected.add(line);
      }
    }
    if (archiveDb == null || selected.isEmpty()) {
      return List.of();
    }
    Path list = null;
    List<String> script;
    try {
      list = Files.createTempFile("dbguard-db", ".list");
      Files.write(list, selected);
      script =
          runCapture(
              List.of(
                  pgRestore.toString(),
                  "--create",
                  "--schema-only",
                  "--file=-",
                  "--use-list=" + list,
                  file.toString()));
    } catch (IOException e) {
      throw new DbguardException("RestoreFailed", "cannot read database properties: " + e, e);
    } finally {
      Path l = list;
      ArchiveStreams.closeQuietly(() -> Files.deleteIfExists(l));
    }
    String bare = archiveDb;
    String quoted = PgProfiler.quoteIdent(archiveDb);
    String replacement = "DATABASE " + PgProfiler.quoteIdent(newName);
    List<String> out = new ArrayList<>();
    for (String stmt : splitStatements(script)) {
      String s = stmt.strip();
      boolean wanted =
          s.startsWith("COMMENT ON DATABASE ")
              || (s.startsWith("ALTER DATABASE ") && !s.contains(" OWNER TO "))
              || (s.startsWith("ALTER DATABASE ") && superuser)
              || (s.startsWith("ALTER ROLE ") && s.contains(" IN DATABASE "))
              || (s.startsWith("GRANT ") && s.contains(" ON DATABASE "))
              || (s.startsWith("REVOKE ") && s.contains(" ON DATABASE "))
              || s.startsWith("SECURITY LABEL ");
      if (!wanted) {
        continue;
      }
      String r = s.replace("DATABASE " + quoted + " ", replacement + " ");
      if (r.equals(s)) {
        r = s.replace("DATABASE " + bare + " ", replacement + " ");
      }
      if (r.contains(replacement + " ")) {
        out.add(r);
      }
    }
    return PgReadOnlyFence.withoutFence(out);
  }

  /** Splits SQL text into statements at semicolons outside quotes; drops psql meta-commands. */
  static List<String> splitStatements(List<String> lines) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean inQuote = false;
    boolean inIdent = false;
    for (String line : lines) {
      if (!inQuote && !inIdent && (line.startsWith("\\") || line.startsWith("--"))) {
        continue;
      }
      for (int i = 0; i < line.length(); i++) {
        char ch = line.charAt(i);
        cur.append(ch);
        if (ch == '\'' && !inIdent) {
          inQuote = !inQuote;
        } else if (ch == '"' && !inQuote) {
          inIdent = !inIdent;
        } else if (ch == ';' && !inQuote && !inIdent) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      }
      cur.append('\n');
    }
    if (!cur.toString().isBlank()) {
      out.add(cur.toString());
    }
    return out;
  }

  private List<String> runCapture(List<String> cmd) {
    try (ToolProcess p = ToolProcess.start("pg_restore", cmd, null, 10, false)) {
      p.stdin().close();
      String out = new String(p.stdout().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      if (rc != 0) {
        throw new DbguardException(
            "BackupCorrupt",
            "pg_restore could not read the archive (exit " + rc + "): " + p.stderr());
      }
      return out.lines().toList();
    } catch (IOException e) {
      throw new DbguardException("RestoreFailed", "cannot run pg_restore: " + e.getMessage(), e);
    }
  }
}
