package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubySource.Block;
import io.dbguard.core.analysis.frontend.RubySource.Kind;
import io.dbguard.core.analysis.frontend.RubySource.Statement;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The model classes of a Rails application, read from {@code app/models/<model>.rb} beside the
 * {@code db/} directory a seed file lives in, for what a seed's call on a model does: whether a
 * class method deletes rows ({@code def self.reset_builtin; where(builtin: true).delete_all; end})
 * and which attributes the model validates as unique ({@code validates :code, uniqueness: true},
 * {@code validates_uniqueness_of :slug}). Only the file named after the model is read (a model
 * {@code CountryCode} is {@code app/models/country_code.rb}, a namespaced {@code Bookings::Subject}
 * is {@code app/models/bookings/subject.rb}, where Rails autoloads it); concerns and parent classes
 * are not followed. A file that cannot be read, is not a regular file or is larger than 1 MiB
 * counts as absent.
 */
public final class RailsModels {

  /** Calls that delete rows, on a relation, a record or the model itself. */
  static final Set<String> DELETES =
      Set.of(
          "delete_all",
          "destroy_all",
          "destroy",
          "destroy!",
          "delete",
          "delete_by",
          "destroy_by",
          "truncate",
          "really_destroy!");

  private static final Pattern SQL_DELETE =
      Pattern.compile("(?is)^\\s*(delete\\s+from|truncate)\\b.*");

  /** Model files larger than this (bytes) are not read: as if absent. */
  static final long MAX_MODEL_BYTES = 1 << 20;

  private static final RailsModels NONE = new RailsModels(null);

  private final Path dir;
  private final Map<String, List<Statement>> parsed = new HashMap<>();

  private RailsModels(Path dir) {
    this.dir = dir;
  }

  /** No model sources: every lookup answers "not found". */
  public static RailsModels none() {
    return NONE;
  }

  /**
   * The models of the application a seed file belongs to: {@code <root>/app/models}, where {@code
   * <root>} is the parent of the nearest ancestor directory of {@code seedFile} named {@code db}
   * (or, for the code of a class a seed runs, named {@code app} or {@code lib} beside a {@code
   * db/}); for a rake file ({@code lib/tasks/seed_roles.rake}, also {@code lib/tasks/db/seed.rake})
   * the parent of its nearest ancestor named {@code lib} first; {@link #none()} when there is no
   * such ancestor.
   */
  public static RailsModels beside(Path seedFile) {
    Path lib = rakeLib(seedFile);
    if (lib != null) {
      return new RailsModels(lib.getParent().resolve("app/models"));
    }
    for (Path d = seedFile.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
      String name = d.getFileName() == null ? "" : d.getFileName().toString();
      if (name.equals("db")) {
        return d.getParent() == null ? NONE : new RailsModels(d.getParent().resolve("app/models"));
      }
      if ((name.equals("app") || name.equals("lib"))
          && d.getParent() != null
          && java.nio.file.Files.isDirectory(d.getParent().resolve("db"))) {
        return new RailsModels(d.getParent().resolve("app/models")); // a class a seed runs
      }
    }
    return NONE;
  }

  /**
   * The nearest ancestor named {@code lib} (with a parent) of a rake file ({@code .rake}), where
   * Rails keeps its tasks ({@code lib/tasks}); {@code null} for any other file or without one.
   */
  static Path rakeLib(Path file) {
    if (!file.toString().endsWith(".rake")) {
      return null;
    }
    for (Path d = file.toAbsolutePath().getParent(); d != null; d = d.getParent()) {
      if (d.getFileName() != null
          && d.getFileName().toString().equals("lib")
          && d.getParent() != null) {
        return d;
      }
    }
    return null;
  }

  /**
   * The path of a model's source relative to the application root: {@code app/models/role.rb},
   * {@code app/models/admin/role.rb} for {@code Admin::Role}.
   */
  static String file(String model) {
    return "app/models/" + RailsClassFiles.underscore(model) + ".rb";
  }

  /**
   * What class method {@code method} of {@code model} deletes.
   *
   * @return {@code null} when the model's file or the method is not found; {@code ""} when the
   *     method's body deletes nothing; else {@code app/models/<model>.rb:<line>}, the line of its
   *     first deleting statement
   */
  String deletes(String model, String method) {
    List<Statement> sts = statements(model);
    boolean found = false;
    for (Statement st : sts) {
      Block def = classMethod(st, method);
      if (def == null) {
        continue;
      }
      found = true;
      if (st != def.opener && deletes(st.tokens())) {
        return file(model) + ":" + st.line();
      }
    }
    return found ? "" : null;
  }

  /**
   * The attributes {@code model} validates as unique without a condition ({@code if:}, {@code
   * unless:}, {@code on:}, {@code conditions:}); empty when there are none or the file is absent.
   */
  Set<String> uniqueAttributes(String model) {
    Set<String> out = new LinkedHashSet<>();
    for (Statement st : statements(model)) {
      List<Token> t = st.tokens();
      boolean conditional =
          st.has("if") || st.has("unless") || st.has("on") || st.has("conditions");
      if (t.isEmpty() || conditional || st.blocks().stream().anyMatch(b -> isDef(b.opener))) {
        continue;
      }
      boolean validates = t.get(0).is("validates") && uniqueness(t);
      if (validates || t.get(0).is("validates_uniqueness_of")) {
        for (int i = 1; i < t.size() && t.get(i).kind() == Kind.SYMBOL; i++) {
          out.add(t.get(i).text());
          if (i + 1 < t.size() && t.get(i + 1).is(",")) {
            i++;
          }
        }
      }
    }
    return out;
  }

  /**
   * The has-many associations {@code model} declares at class level ({@code has_many :roles},
   * {@code has_and_belongs_to_many :tags}); empty when there are none or the file is absent.
   */
  Set<String> collections(String model) {
    Set<String> out = new LinkedHashSet<>();
    for (Statement st : statements(model)) {
      List<Token> t = st.tokens();
      if (t.size() >= 2
          && (t.get(0).is("has_many") || t.get(0).is("has_and_belongs_to_many"))
          && t.get(1).kind() == Kind.SYMBOL
          && st.blocks().stream().noneMatch(b -> isDef(b.opener))) {
        out.add(t.get(1).text());
      }
    }
    return out;
  }

  /** Whether {@code toks} call a deleting method or run {@code DELETE}/{@code TRUNCATE} SQL. */
  static boolean deletes(List<Token> toks) {
    for (int i = 0; i < toks.size(); i++) {
      Token t = toks.get(i);
      boolean named = t.kind() == Kind.IDENT && DELETES.contains(t.text());
      boolean blockArg =
          t.kind() == Kind.SYMBOL && DELETES.contains(t.text()) && i > 0 && toks.get(i - 1).is("&");
      boolean sql = t.kind() == Kind.STRING && SQL_DELETE.matcher(t.text()).matches();
      if (named || blockArg || sql) {
        return true;
      }
    }
    return false;
  }

  private static boolean uniqueness(List<Token> t) {
    for (int i = 0; i + 1 < t.size(); i++) {
      if (t.get(i).is("uniqueness") && t.get(i + 1).is("=>")) {
        return !(i + 2 < t.size() && (t.get(i + 2).is("false") || t.get(i + 2).is("nil")));
      }
    }
    return false;
  }

  /** The {@code def self.method} (or {@code def method} in {@code class << self}) enclosing st. */
  private static Block classMethod(Statement st, String method) {
    boolean singleton = false;
    for (Block b : st.blocks()) {
      List<Token> o = b.opener.tokens();
      if (o.size() >= 3 && o.get(0).is("class") && o.get(1).is("<<") && o.get(2).is("self")) {
        singleton = true;
      }
      if (o.size() >= 4
          && o.get(0).is("def")
          && o.get(1).is("self")
          && o.get(2).is(".")
          && o.get(3).is(method)) {
        return b;
      }
      if (singleton && o.size() >= 2 && o.get(0).is("def") && o.get(1).is(method)) {
        return b;
      }
    }
    return null;
  }

  private static boolean isDef(Statement opener) {
    return opener.head().equals("def");
  }

  private List<Statement> statements(String model) {
    if (dir == null || model == null) {
      return List.of();
    }
    return parsed.computeIfAbsent(
        model,
        m -> {
          Path f = dir.resolve(RailsClassFiles.underscore(m) + ".rb");
          try {
            return Files.isRegularFile(f) && Files.size(f) <= MAX_MODEL_BYTES
                ? RubySource.parse(Files.readString(f)).statements()
                : List.of();
          } catch (IOException | RuntimeException e) {
            return List.of(); // unreadable: as if absent
          }
        });
  }
}
