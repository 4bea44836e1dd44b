package io.dbguard.core.analysis.frontend;

import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;

/**
 * The one door to JSqlParser, the general SQL parser dbguard uses for DML and for statements its
 * own grammar does not read. It refuses statements longer than {@value #MAX_CHARS} characters: the
 * parser's time grows faster than linearly with one statement's length (a 700 kB multi-row {@code
 * INSERT} took about 19 s), so such a statement is reported as not analysed instead (the common
 * large form, a plain {@code INSERT … VALUES}, never reaches this class: see {@link
 * InsertValuesReader}).
 */
final class GeneralSqlParser {

  /** Longest statement, in characters, given to the general parser. */
  static final int MAX_CHARS = 64 * 1024;

  private GeneralSqlParser() {}

  /**
   * Parses one statement.
   *
   * @throws JSQLParserException when the parser rejects it or it is longer than {@link #MAX_CHARS}
   */
  static Statement parse(String sql) throws JSQLParserException {
    if (sql.length() > MAX_CHARS) {
      throw new JSQLParserException(
          "statement of "
              + sql.length()
              + " characters is longer than the "
              + MAX_CHARS
              + " the SQL parser is given; review it by hand");
    }
    return CCJSqlParserUtil.parse(sql);
  }
}
