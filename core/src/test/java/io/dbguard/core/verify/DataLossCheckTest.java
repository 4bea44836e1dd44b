package io.dbguard.core.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.core.engine.DataProfile;
import io.dbguard.core.engine.TableProfile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DataLossCheckTest {

  /** Profile from "table:rows:col=nn,col=nn#checksum" specs (the checksum is optional). */
  static DataProfile p(String... specs) {
    Map<String, TableProfile> t = new LinkedHashMap<>();
    for (String s : specs) {
      String[] parts = s.split(":");
      Map<String, Long> cols = new LinkedHashMap<>();
      Map<String, String> sums = new LinkedHashMap<>();
      if (parts.length > 2) {
        for (String c : parts[2].split(",")) {
          String[] kv = c.split("[=#]");
          cols.put(kv[0], Long.parseLong(kv[1]));
          if (kv.length > 2) {
            sums.put(kv[0], kv[2]);
          }
        }
      }
      t.put(parts[0], new TableProfile(Long.parseLong(parts[1]), cols, sums));
    }
    return new DataProfile(t, "fp", null);
  }

  static Stream<Arguments> table() {
    DataProfile before =
        p("users:10:id=10,email=10,phone=4,legacy=0", "orders:5:id=5", "tmp:0:id=0");
    return Stream.of(
        Arguments.of("identical", before, before, Set.of(), List.of(), List.of()),
        Arguments.of(
            "rows and columns added",
            before,
            p(
                "users:12:id=12,email=12,phone=4,legacy=0,age=3",
                "orders:5:id=5",
                "tmp:0:id=0",
                "new:3:id=3"),
            Set.of(),
            List.of(),
            List.of()),
        Arguments.of(
            "table dropped",
            before,
            p("users:10:id=10,email=10,phone=4,legacy=0", "tmp:0:id=0"),
            Set.of(),
            List.of("orders: table dropped (5 rows)"),
            List.of()),
        Arguments.of(
            "empty table dropped is fine",
            before,
            p("users:10:id=10,email=10,phone=4,legacy=0", "orders:5:id=5"),
            Set.of(),
            List.of(),
            List.of()),
        Arguments.of(
            "rows lost",
            before,
            p("users:7:id=7,email=7,phone=4,legacy=0", "orders:5:id=5", "tmp:0:id=0"),
            Set.of(),
            List.of(
                "users: lost 3 rows (10 → 7)",
                "users.email: lost 3 non-null values (10 → 7)",
                "users.id: lost 3 non-null values (10 → 7)"),
            List.of()),
        Arguments.of(
            "populated column dropped; empty column dropped is fine",
            before,
            p("users:10:id=10,email=10", "orders:5:id=5", "tmp:0:id=0"),
            Set.of(),
            List.of("users.phone: column dropped (4 non-null values)"),
            List.of()),
        Arguments.of(
            "values nulled",
            before,
            p("users:10:id=10,email=10,phone=1,legacy=0", "orders:5:id=5", "tmp:0:id=0"),
            Set.of(),
            List.of("users.phone: lost 3 non-null values (4 → 1)"),
            List.of()),
        Arguments.of(
            "column acknowledged",
            before,
            p("users:10:id=10,email=10", "orders:5:id=5", "tmp:0:id=0"),
            Set.of("users.phone"),
            List.of(),
            List.of("users.phone: column dropped (4 non-null values) [acknowledged]")),
        Arguments.of(
            "table acknowledgement covers its columns",
            before,
            p("users:8:id=8,email=8,phone=2,legacy=0", "tmp:0:id=0"),
            Set.of("users", "orders"),
            List.of(),
            List.of(
                "orders: table dropped (5 rows) [acknowledged]",
                "users: lost 2 rows (10 → 8) [acknowledged]",
                "users.email: lost 2 non-null values (10 → 8) [acknowledged]",
                "users.id: lost 2 non-null values (10 → 8) [acknowledged]",
                "users.phone: lost 2 non-null values (4 → 2) [acknowledged]")),
        Arguments.of(
            "acknowledging another column does not cover this one",
            before,
            p("users:10:id=10,email=10", "orders:5:id=5", "tmp:0:id=0"),
            Set.of("users.email"),
            List.of("users.phone: column dropped (4 non-null values)"),
            List.of()),
        Arguments.of(
            "content checksums: values overwritten in place; a column that gained values is not"
                + " compared",
            p("users:3:id=3#11,email=3#22,phone=1#33"),
            p("users:3:id=3#11,email=3#99,phone=2#34"),
            Set.of(),
            List.of(
                "users.email: values changed (content checksum differs; 3 → 3 non-null values)"),
            List.of()),
        Arguments.of(
            "content checksums: fewer values is reported as lost, not also as changed",
            p("users:3:id=3#11,email=3#22"),
            p("users:3:id=3#11,email=2#20"),
            Set.of(),
            List.of("users.email: lost 1 non-null values (3 → 2)"),
            List.of()),
        Arguments.of(
            "content checksums on one side only are not compared",
            p("users:3:id=3#11,email=3#22"),
            p("users:3:id=3,email=3"),
            Set.of(),
            List.of(),
            List.of()),
        Arguments.of(
            "content checksums: an acknowledged rewrite",
            p("users:3:id=3#11,email=3#22"),
            p("users:3:id=3#11,email=3#23"),
            Set.of("users.email"),
            List.of(),
            List.of(
                "users.email: values changed (content checksum differs; 3 → 3 non-null values)"
                    + " [acknowledged]")),
        Arguments.of(
            "bare name acknowledges public.table",
            p("public.users:3:id=3"),
            p(),
            Set.of("users"),
            List.of(),
            List.of("public.users: table dropped (3 rows) [acknowledged]")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("table")
  void findings(
      String name,
      DataProfile before,
      DataProfile after,
      Set<String> acks,
      List<String> unacknowledged,
      List<String> acknowledged) {
    DataLossCheck.Result r = DataLossCheck.check(before, after, acks);
    assertThat(r.unacknowledged().stream().map(DataLossCheck.Finding::describe).toList())
        .containsExactlyElementsOf(unacknowledged);
    assertThat(r.acknowledged().stream().map(DataLossCheck.Finding::describe).toList())
        .containsExactlyElementsOf(acknowledged);
    assertThat(r.passed()).isEqualTo(unacknowledged.isEmpty());
  }
}
