package io.dbguard.core.analysis;

import io.dbguard.core.analysis.frontend.SqlFrontEnd;
import io.dbguard.core.analysis.frontend.SqlSplitter;
import io.dbguard.core.analysis.frontend.Suppressions;
import io.dbguard.core.analysis.model.FileKind;
import io.dbguard.core.analysis.model.ParsedFile;
import io.dbguard.core.analysis.model.Suppression;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The migration lint applied to SQL text that is not a migration file: SQL a command hands to a
 * database client ({@code psql -c …}, {@code echo … | psql}, a file given with {@code psql -f}).
 * The production guard uses it to refuse such commands by what their SQL does rather than by a list
 * of words. The text is analysed like a plain SQL file run statement by statement (no transaction
 * wrapper), with its {@code dbguard:ignore} comments honoured.
 */
public final class SqlTextLint {

  private SqlTextLint() {}

  /**
   * The findings of {@code sql} that block (unacknowledged refusals), in source order.
   *
   * @param sql the SQL text
   * @param label how the text is named in findings (a file name, {@code psql -c})
   * @param dialect {@code postgresql} or {@code sqlite}
   */
  public static List<Finding> blocking(String sql, String label, String dialect) {
    SqlFrontEnd.Result r = new SqlFrontEnd(dialect).parse(sql, 1);
    List<Suppression> sups = new ArrayList<>();
    for (SqlSplitter.Comment c : r.comments()) {
      Suppressions.fromComment(c.text(), c.line()).ifPresent(sups::add);
    }
    ParsedFile file =
        new ParsedFile(
            label,
            FileKind.SQL_MIGRATION,
            dialect,
            "plain",
            false,
            r.operations(),
            sups,
            Analyzer.sha256(sql.getBytes(StandardCharsets.UTF_8)));
    List<Finding> out = new ArrayList<>();
    for (Finding f :
        new RuleEngine().run(List.of(file), AnalysisOptions.defaults(), new ArrayList<>())) {
      if (f.blocking()) {
        out.add(f);
      }
    }
    return out;
  }
}
