package io.dbguard.core.analysis.frontend;

import io.dbguard.core.analysis.frontend.RubyCalls.Call;
import io.dbguard.core.analysis.frontend.RubySource.Token;
import io.dbguard.core.analysis.model.Operation.SeedCall;
import io.dbguard.core.analysis.model.Operation.SeedEffect;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a Rails seed's call on a model does beyond its name, read with {@link RailsModels}:
 *
 * <ul>
 *   <li>A block argument naming a deleting method ({@code Post.where(...).each(&:destroy)})
 *       deletes.
 *   <li>A class method of the model ({@code Role.reset_builtin}) deletes when its body in {@code
 *       app/models/role.rb} does; when that body is not found (or the receiver is a record), a
 *       method named {@code delete_*}, {@code destroy_*} or {@code remove_*} is taken to delete (a
 *       seed that runs it on every run loses rows: refused rather than guessed safe), except Ruby's
 *       own ({@code delete_if}, {@code delete_at}, {@code FileUtils.remove_dir}, ...).
 *   <li>{@code create} without {@code !} returns an unsaved record when a validation fails, so on a
 *       model that validates the uniqueness of an attribute the call sets (in every record of an
 *       array), a rerun adds nothing: idempotent. Otherwise it creates rows unconditionally, and
 *       the finding says what would make it idempotent. {@code create!} raises on the rerun instead
 *       and stays non-idempotent.
 * </ul>
 */
final class RubySeedModels {

  private RubySeedModels() {}

  /** Ruby core and library methods named like deletes that delete no rows. */
  private static final Set<String> NOT_ROW_DELETES =
      Set.of(
          "delete_at",
          "delete_if",
          "delete_prefix",
          "delete_suffix",
          "delete_field",
          "delete_observers",
          "remove_const",
          "remove_method",
          "remove_instance_variable",
          "remove_class_variable",
          "remove_entry",
          "remove_entry_secure",
          "remove_dir",
          "remove_file");

  /**
   * Whether a positional argument of {@code c} is a deleting block argument ({@code &:destroy}).
   */
  static boolean blockArgDeletes(Call c) {
    for (List<Token> arg : c.args()) {
      if (arg.size() == 2 && arg.get(0).is("&") && RailsModels.deletes(arg)) {
        return true;
      }
    }
    return false;
  }

  /**
   * A method call on a model, a relation or a record that deletes rows, or {@code null}.
   *
   * @param method the called method's name
   * @param line the statement's line
   * @param receiver the name the statement's call chain starts with ({@code Role}, {@code org})
   * @param model the model class the statement starts with, or {@code null} (a record variable)
   * @param text the statement's text
   */
  static SeedCall modelMethod(
      String method, int line, String receiver, String model, String text, RailsModels models) {
    String where = model == null ? null : models.deletes(model, method);
    if (where != null && !where.isEmpty()) {
      return new SeedCall(
          line, model, SeedEffect.DESTRUCTIVE, text + " (" + method + " deletes at " + where + ")");
    }
    if (where == null
        && !RubySeedReceivers.notModel(receiver)
        && !NOT_ROW_DELETES.contains(method)
        && method.matches("(delete|destroy|remove)_\\w+[!?]?")) {
      String body =
          model == null
              ? "its body is not known here"
              : "no class method of that name in " + RailsModels.file(model);
      return new SeedCall(
          line,
          model,
          SeedEffect.DESTRUCTIVE,
          text + " (named for deleting, " + body + ": taken to delete)");
    }
    return null;
  }

  /**
   * The seed operation of a {@code create}-like call ({@code create}, {@code create!}, {@code
   * insert}, ...).
   *
   * @param model the model class the statement starts with, or {@code null}
   * @param guarded whether an existence guard protects the statement
   */
  static SeedCall create(
      Call c, int line, String model, boolean guarded, String text, RailsModels models) {
    if (guarded) {
      return new SeedCall(line, model, SeedEffect.IDEMPOTENT, text + " (guarded)");
    }
    if (!c.name().equals("create")) {
      return new SeedCall(line, model, SeedEffect.NON_IDEMPOTENT, text);
    }
    if (model == null) {
      return new SeedCall(
          line,
          model,
          SeedEffect.NON_IDEMPOTENT,
          text
              + " (create without ! would add nothing on a rerun if the model validated the"
              + " uniqueness of an attribute it sets; the model is not known here)");
    }
    String file = RailsModels.file(model);
    for (String attr : models.uniqueAttributes(model)) {
      if (givenInEveryRecord(c, attr)) {
        return new SeedCall(
            line,
            model,
            SeedEffect.IDEMPOTENT,
            text
                + " ("
                + file
                + " validates the uniqueness of "
                + attr
                + ": a rerun adds nothing)");
      }
    }
    return new SeedCall(
        line,
        model,
        SeedEffect.NON_IDEMPOTENT,
        text
            + " (create without ! would add nothing on a rerun if "
            + file
            + " validated the uniqueness of an attribute it sets; no such uniqueness validation"
            + " found)");
  }

  /** Whether {@code attr} is set by the call: a keyword, or a key of every hash of an array. */
  private static boolean givenInEveryRecord(Call c, String attr) {
    if (c.hasKw(attr)) {
      return true;
    }
    if (c.args().isEmpty() || !c.args().get(0).get(0).is("[")) {
      return false;
    }
    List<Token> array = c.args().get(0);
    List<List<Token>> records =
        RubyCalls.splitTopLevel(array.subList(1, Math.max(1, array.size() - 1)));
    boolean any = false;
    for (List<Token> record : records) {
      if (record.isEmpty()) {
        continue;
      }
      if (!record.get(0).is("{") || !keys(record).contains(attr)) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static List<String> keys(List<Token> hash) {
    List<String> out = new ArrayList<>();
    for (List<Token> pair :
        RubyCalls.splitTopLevel(hash.subList(1, Math.max(1, hash.size() - 1)))) {
      if (pair.size() >= 2 && pair.get(1).is("=>")) {
        out.add(pair.get(0).text());
      }
    }
    return out;
  }
}
