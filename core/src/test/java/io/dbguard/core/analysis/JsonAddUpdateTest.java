package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An UPDATE without WHERE that adds a key to the JSON value of the column it replaces ({@code SET
 * settings = json_set(settings, '$.k', 1)}, {@code json_insert}, {@code json_patch}, {@code
 * jsonb_set}, {@code jsonb_insert}, {@code settings || '{"k":1}'::jsonb}, {@code settings ||
 * jsonb_build_object('k', 1)}) keeps every existing value: a backfill computed from the row (DBG223
 * on PostgreSQL, nothing on SQLite), not an overwrite. A function or operator that removes from the
 * value ({@code json_remove}, {@code jsonb - 'k'}, {@code #-}, a merge patch that sets a key to
 * null, a path that replaces the whole value) stays an overwrite (DBG112). Examples written for
 * this test.
 */
class JsonAddUpdateTest {

  @TempDir Path dir;

  private int n;

  private List<String> sqlite(String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "sqlite" + ++n + "/0007_json.sql", sql));
  }

  private List<String> pg(String sql) throws Exception {
    return AnalysisFiles.ruleIds(AnalysisFiles.write(dir, "pg" + ++n + "/V7__json.sql", sql));
  }

  @Test
  void sqliteAddingAKeyToTheColumnsOwnValueIsABackfill() throws Exception {
    // seen failing before the change: DBG112 for each
    assertThat(sqlite("UPDATE sites SET settings = json_set(settings, '$.language_enabled', 1);"))
        .isEmpty();
    assertThat(sqlite("UPDATE sites SET settings = json_insert(settings, '$.theme', 'dark');"))
        .isEmpty();
    assertThat(sqlite("UPDATE sites SET settings = json_patch(settings, '{\"beta\": true}');"))
        .isEmpty();
    assertThat(
            sqlite(
                "UPDATE sites SET settings = JSON_SET(settings, '$.a', 1, '$.b', json('[1,2]'));"))
        .isEmpty();
  }

  @Test
  void postgresAddingAKeyToTheColumnsOwnValueIsABackfill() throws Exception {
    // seen failing before the change: DBG112 for each but the || of a jsonb literal
    assertThat(pg("UPDATE sites SET settings = jsonb_set(settings, '{language_enabled}', 'true');"))
        .containsExactly("DBG223");
    assertThat(
            pg(
                "UPDATE sites SET settings = jsonb_insert(settings, '{tags, 0}', '\"new\"'::jsonb);"))
        .containsExactly("DBG223");
    assertThat(pg("UPDATE sites SET settings = settings || '{\"k\": 1}'::jsonb;"))
        .containsExactly("DBG223");
    assertThat(pg("UPDATE sites SET settings = settings || jsonb_build_object('k', 1, 'v', 2);"))
        .containsExactly("DBG223");
    assertThat(
            pg(
                "UPDATE sites SET settings = jsonb_set(settings, '{lang}', to_jsonb('en'::text),"
                    + " true);"))
        .containsExactly("DBG223");
  }

  @Test
  void removingFromTheValueStaysAnOverwrite() throws Exception {
    assertThat(sqlite("UPDATE sites SET settings = json_remove(settings, '$.legacy');"))
        .containsExactly("DBG112");
    assertThat(
            sqlite(
                "UPDATE sites SET settings = json_set(json_remove(settings, '$.old'), '$.n', 1);"))
        .containsExactly("DBG112");
    // a merge patch's null removes the key; the path $ replaces the whole value
    assertThat(sqlite("UPDATE sites SET settings = json_patch(settings, '{\"legacy\": null}');"))
        .containsExactly("DBG112");
    assertThat(sqlite("UPDATE sites SET settings = json_set(settings, '$', '{}');"))
        .containsExactly("DBG112");
    assertThat(pg("UPDATE sites SET settings = settings - 'legacy';")).containsExactly("DBG112");
    assertThat(pg("UPDATE sites SET settings = settings #- '{a,b}';")).containsExactly("DBG112");
    assertThat(pg("UPDATE sites SET settings = jsonb_set(settings - 'old', '{n}', '1');"))
        .containsExactly("DBG112");
  }

  @Test
  void otherValuesAreJudgedAsBefore() throws Exception {
    // a constant object replaces the value
    assertThat(sqlite("UPDATE sites SET settings = json_object('language_enabled', 1);"))
        .containsExactly("DBG112");
    assertThat(pg("UPDATE sites SET settings = jsonb_build_object('k', 1);"))
        .containsExactly("DBG112");
    assertThat(pg("UPDATE sites SET settings = '{}'::jsonb;")).containsExactly("DBG112");
    // another column's value, extended, into settings: derived from the row, as before
    assertThat(pg("UPDATE sites SET settings = jsonb_set(defaults, '{k}', '1');"))
        .containsExactly("DBG223");
    // a scoped change is no overwrite of every row
    assertThat(sqlite("UPDATE sites SET settings = json_remove(settings, '$.a') WHERE id = 3;"))
        .isEmpty();
    // numbers: a shift stays a backfill, a cut an overwrite
    assertThat(pg("UPDATE sites SET position = position - 1;")).containsExactly("DBG223");
    assertThat(sqlite("UPDATE sites SET settings = json_extract(settings, '$.inner');"))
        .containsExactly("DBG112");
  }
}
