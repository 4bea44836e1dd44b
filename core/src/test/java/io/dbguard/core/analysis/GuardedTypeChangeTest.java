package io.dbguard.core.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.analysis.rules.Verdict;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A type change inside a {@code DO} block under an {@code IF} whose condition states the column's
 * current type (information_schema.columns or pg_attribute, with table, column and type compared
 * with {@code =}) is judged from that type, not as a change from an unknown type. A guard that does
 * not pin table, column and type ({@code NOT EXISTS}, {@code <>}, another column, an {@code OR}, an
 * {@code ELSE} branch) decides nothing. Every migration here was written for this test.
 */
class GuardedTypeChangeTest {

  @TempDir Path dir;

  private int files;

  private List<Finding> findings(String sql) throws Exception {
    files++;
    return AnalysisFiles.findings(AnalysisFiles.write(dir.resolve("m" + files), "V3__t.sql", sql));
  }

  private List<String> ids(String sql) throws Exception {
    return findings(sql).stream().map(Finding::ruleId).toList();
  }

  /** Findings above notice. */
  private List<String> above(String sql) throws Exception {
    return findings(sql).stream()
        .filter(f -> f.verdict() != Verdict.NOTICE)
        .map(Finding::ruleId)
        .toList();
  }

  private static String guarded(String where, String alter) {
    return """
        DO $$
        BEGIN
          IF EXISTS (
            SELECT 1 FROM information_schema.columns
            WHERE %s
          ) THEN
            %s;
          END IF;
        END $$;
        """
        .formatted(where, alter);
  }

  private static final String WIDEN = "ALTER TABLE parcels ALTER COLUMN postcode TYPE varchar(14)";

  @Test
  void aGuardStatingTheLengthMakesAWideningCatalogOnly() throws Exception {
    // seen failing before the change: each was DBG108 (previous type unknown)
    assertThat(
            above(
                guarded(
                    "table_name = 'parcels' AND column_name = 'postcode'"
                        + " AND character_maximum_length = 7",
                    WIDEN)))
        .isEmpty();
    assertThat(
            above(
                guarded(
                    "table_schema = 'public' AND table_name = 'parcels'"
                        + " AND column_name = 'postcode' AND data_type = 'character varying'"
                        + " AND character_maximum_length = 7",
                    "ALTER TABLE public.parcels ALTER COLUMN postcode SET DATA TYPE"
                        + " character varying(14)")))
        .isEmpty();
    assertThat(
            above(
                "DO $$ BEGIN IF EXISTS (SELECT 1 FROM information_schema.columns WHERE"
                    + " table_name = 'parcels' AND column_name = 'postcode'"
                    + " AND character_maximum_length = 7) THEN "
                    + WIDEN
                    + "; END IF; END $$;\n"))
        .isEmpty();
    assertThat(
            above(
                """
                do $$ begin
                  if exists (select 1 from pg_attribute
                             where attrelid = 'public.parcels'::regclass and attname = 'postcode'
                               and format_type(atttypid, atttypmod) = 'character varying(7)'
                               and not attisdropped) then
                    execute 'ALTER TABLE parcels ALTER COLUMN postcode TYPE varchar(14)';
                  end if;
                end $$;
                """))
        .isEmpty();
  }

  @Test
  void aGuardStatingSmallintMakesIntegerARewrite() throws Exception {
    // seen failing before the change: DBG108
    String alter = "ALTER TABLE parcels ALTER COLUMN weight TYPE integer";
    assertThat(
            ids(
                guarded(
                    "table_name = 'parcels' AND column_name = 'weight' AND udt_name = 'int2'",
                    alter)))
        .containsExactly("DBG209");
    assertThat(
            ids(
                guarded(
                    "table_name = 'parcels' AND column_name = 'weight' AND data_type = 'smallint'",
                    alter)))
        .containsExactly("DBG209");
    assertThat(
            ids(
                """
                DO $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                             WHERE c.relname = 'parcels' AND a.attname = 'weight'
                               AND a.attlen = 2) THEN
                    ALTER TABLE parcels ALTER COLUMN weight TYPE integer;
                  END IF;
                END $$;
                """))
        .containsExactly("DBG209");
    String price =
        "table_name = 'parcels' AND column_name = 'price' AND data_type = 'numeric'"
            + " AND numeric_precision = 8 AND numeric_scale = 2";
    // more digits before the point, same scale: catalog-only; another scale: a rewrite
    assertThat(ids(guarded(price, "ALTER TABLE parcels ALTER COLUMN price TYPE numeric(12,2)")))
        .isEmpty();
    assertThat(ids(guarded(price, "ALTER TABLE parcels ALTER COLUMN price TYPE numeric(12,4)")))
        .containsExactly("DBG209");
  }

  @Test
  void theGuardedTypeAlsoRefusesWhatItMakesANarrowing() throws Exception {
    List<Finding> got =
        findings(
            guarded(
                "table_name = 'parcels' AND column_name = 'postcode'"
                    + " AND character_maximum_length = 20",
                WIDEN));
    assertThat(got).extracting(Finding::ruleId).containsExactly("DBG108");
    assertThat(got.get(0).message()).contains("from varchar(20)");
  }

  @Test
  void guardsThatDoNotPinTheTypeDecideNothing() throws Exception {
    String[] wheres = {
      // <> and != state what the type is not
      "table_name = 'parcels' AND column_name = 'postcode' AND character_maximum_length <> 14",
      "table_name = 'parcels' AND column_name = 'postcode' AND data_type != 'text'",
      // another column or another table
      "table_name = 'parcels' AND column_name = 'city' AND character_maximum_length = 7",
      "table_name = 'depots' AND column_name = 'postcode' AND character_maximum_length = 7",
      // no column named
      "table_name = 'parcels' AND character_maximum_length = 7",
      // a disjunction
      "table_name = 'parcels' AND column_name = 'postcode' AND character_maximum_length = 7"
          + " OR table_name = 'depots'",
      // a type without its length
      "table_name = 'parcels' AND column_name = 'postcode' AND data_type = 'character varying'",
    };
    for (String where : wheres) {
      assertThat(ids(guarded(where, WIDEN))).as(where).containsExactly("DBG108");
    }
    assertThat(
            ids(
                """
                DO $$
                BEGIN
                  IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                                 WHERE table_name = 'parcels' AND column_name = 'postcode'
                                   AND character_maximum_length = 7) THEN
                    ALTER TABLE parcels ALTER COLUMN postcode TYPE varchar(14);
                  END IF;
                END $$;
                """))
        .containsExactly("DBG108");
    // the ELSE branch runs when the guard does not hold
    assertThat(
            ids(
                """
                DO $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM information_schema.columns
                             WHERE table_name = 'parcels' AND column_name = 'postcode'
                               AND character_maximum_length = 7) THEN
                    RAISE NOTICE 'already varchar(7)';
                  ELSE
                    ALTER TABLE parcels ALTER COLUMN postcode TYPE varchar(14);
                  END IF;
                END $$;
                """))
        .containsExactly("DBG108");
    // an ALTER after END IF runs whatever the guard said
    assertThat(
            ids(
                """
                DO $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM information_schema.columns
                             WHERE table_name = 'parcels' AND column_name = 'postcode'
                               AND character_maximum_length = 7) THEN
                    RAISE NOTICE 'short';
                  END IF;
                  ALTER TABLE parcels ALTER COLUMN postcode TYPE varchar(14);
                END $$;
                """))
        .containsExactly("DBG108");
  }
}
