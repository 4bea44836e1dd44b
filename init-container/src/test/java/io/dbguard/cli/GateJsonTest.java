package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The gate's streaming JSON reader ({@link GateJson}) reads what the JSON tree the gate read before
 * gave: the same status maps, versions, event types and messages for the same documents.
 */
class GateJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** Documents as the API server could send them, and some it would not. */
  private static final List<String> MIGRATIONS =
      List.of(
          "{\"metadata\":{\"name\":\"shop\",\"resourceVersion\":\"4711\"},"
              + "\"status\":{\"phase\":\"Succeeded\",\"image\":\"shop:2\","
              + "\"lastSucceededImage\":\"shop:2\",\"reason\":\"MigrationSucceeded\","
              + "\"message\":\"done\"}}",
          // numbers, booleans, nulls, nested objects and arrays, unknown fields
          "{\"apiVersion\":\"dbguard.io/v1alpha1\",\"kind\":\"DatabaseMigration\","
              + "\"spec\":{\"status\":{\"phase\":\"Failed\"},\"steps\":[{\"a\":[1,{\"b\":2}]}]},"
              + "\"status\":{\"attempt\":3,\"big\":123456789012345678901234567890,"
              + "\"long\":9007199254740993,\"neg\":-0,\"ratio\":1.50,\"exp\":2E3,\"tiny\":1e-7,"
              + "\"huge\":1e400,\"ok\":true,\"bad\":false,\"reason\":null,"
              + "\"current\":{\"step\":\"Backup\",\"job\":\"j\"},\"conditions\":[],"
              + "\"history\":[{\"phase\":\"RolledBack\"}],\"phase\":\"Migrating\","
              + "\"empty\":\"\",\"quoted\":\"a \\\"b\\\" \\\\ \\u00e9 \\n\"},"
              + "\"metadata\":{\"annotations\":{\"resourceVersion\":\"no\"},"
              + "\"resourceVersion\":\"12\",\"managedFields\":[{\"resourceVersion\":\"x\"}]}}",
          // status and metadata before anything else, unusual field order
          "{\"status\":{\"message\":\"m\",\"phase\":\"Blocked\"},\"metadata\":{}}",
          // a repeated field: the last one counts
          "{\"status\":{\"phase\":\"A\",\"phase\":\"B\",\"reason\":\"r\",\"reason\":null},"
              + "\"metadata\":{\"resourceVersion\":\"1\",\"resourceVersion\":\"2\"}}",
          "{\"status\":{\"phase\":\"A\"},\"status\":[1]}",
          "{\"status\":[1],\"status\":{\"phase\":\"A\"}}",
          // no status, status null, not an object, empty
          "{\"metadata\":{\"resourceVersion\":\"7\"}}",
          "{\"metadata\":{\"resourceVersion\":\"7\"},\"status\":null}",
          "{\"metadata\":{\"resourceVersion\":null},\"status\":\"Succeeded\"}",
          "{\"metadata\":{\"resourceVersion\":8},\"status\":[{\"phase\":\"Succeeded\"}]}",
          "{\"metadata\":null,\"status\":{}}",
          "{\"metadata\":[],\"status\":{\"a\":{},\"b\":[]}}",
          "{}");

  /** What the gate read of a tree before (GateApi.status and the resourceVersion path). */
  private static GateJson.Observed asTheTreeGaveIt(JsonNode migration) {
    JsonNode s = migration.get("status");
    Map<String, Object> m = null;
    if (s != null && s.isObject()) {
      Map<String, Object> fields = new HashMap<>();
      s.fields()
          .forEachRemaining(
              e -> {
                if (e.getValue().isValueNode() && !e.getValue().isNull()) {
                  fields.put(e.getKey(), e.getValue().asText());
                }
              });
      m = fields;
    }
    return new GateJson.Observed(
        migration.path("metadata").path("resourceVersion").asText(null), m);
  }

  private static InputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readsTheSameVersionAndStatusAsTheJsonTreeDid() throws Exception {
    for (String doc : MIGRATIONS) {
      GateJson.Observed expected = asTheTreeGaveIt(MAPPER.readTree(doc));

      assertThat(GateJson.migration(stream(doc))).as(doc).isEqualTo(expected);
      assertThat(GateJson.migration(MAPPER.readTree(doc))).as("tree: " + doc).isEqualTo(expected);
    }
  }

  @Test
  void scalarsKeepTheirJsonTextAndNullsObjectsAndArraysAreLeftOut() throws Exception {
    GateJson.Observed o = GateJson.migration(stream(MIGRATIONS.get(1)));

    assertThat(o.resourceVersion()).isEqualTo("12");
    assertThat(o.status())
        .containsEntry("attempt", "3")
        .containsEntry("big", "123456789012345678901234567890")
        .containsEntry("long", "9007199254740993")
        .containsEntry("neg", "0")
        .containsEntry("ratio", "1.5")
        .containsEntry("exp", "2000.0")
        .containsEntry("huge", "Infinity")
        .containsEntry("ok", "true")
        .containsEntry("bad", "false")
        .containsEntry("phase", "Migrating")
        .containsEntry("empty", "")
        .containsEntry("quoted", "a \"b\" \\ é \n")
        .doesNotContainKeys("reason", "current", "conditions", "history");
  }

  @Test
  void aMigrationWithoutAnObjectStatusHasNone() throws Exception {
    assertThat(GateJson.migration(stream("{\"status\":null}")).status()).isNull();
    assertThat(GateJson.migration(stream("{\"status\":\"x\"}")).status()).isNull();
    assertThat(GateJson.migration(stream("{}"))).isEqualTo(new GateJson.Observed(null, null));
    assertThat(GateJson.migration(stream("[{\"status\":{}}]")))
        .isEqualTo(new GateJson.Observed(null, null));
    assertThat(GateJson.migration(stream(""))).isEqualTo(new GateJson.Observed(null, null));
    assertThat(GateJson.migration((JsonNode) null)).isNull();
  }

  @Test
  void aBodyThatIsNotJsonFailsToRead() {
    assertThatThrownBy(() -> GateJson.migration(stream("{\"status\":{\"phase\":")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> GateJson.migration(stream("<html>"))).isInstanceOf(IOException.class);
  }

  @Test
  void readsWatchEventsWhateverTheOrderOfTheirFields() throws Exception {
    for (String object : MIGRATIONS) {
      GateJson.Observed expected = asTheTreeGaveIt(MAPPER.readTree(object));
      for (String line :
          List.of(
              "{\"type\":\"MODIFIED\",\"object\":" + object + "}",
              "{\"object\":" + object + ",\"type\":\"MODIFIED\"}",
              "{\"object\":" + object + ",\"extra\":{\"type\":\"ERROR\"},\"type\":\"MODIFIED\"}")) {
        GateJson.Event e = GateJson.event(line);

        assertThat(e.type()).as(line).isEqualTo("MODIFIED");
        assertThat(e.object()).as(line).isEqualTo(expected);
      }
    }
    assertThat(GateJson.event("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410}}"))
        .isEqualTo(new GateJson.Event("ERROR", new GateJson.Observed(null, null)));
    assertThat(GateJson.event("{\"type\":\"BOOKMARK\"}"))
        .isEqualTo(new GateJson.Event("BOOKMARK", null));
    assertThat(GateJson.event("{\"object\":null}"))
        .isEqualTo(new GateJson.Event("", new GateJson.Observed(null, null)));
    assertThat(GateJson.event("[]")).isEqualTo(new GateJson.Event("", null));
    assertThatThrownBy(() -> GateJson.event("{\"type\":")).isInstanceOf(IOException.class);
  }

  @Test
  void readsTheMessageOfAnErrorAnswer() {
    assertThat(
            GateJson.message(
                stream(
                    "{\"kind\":\"Status\",\"details\":{\"message\":\"inner\"},\"status\":\"Failure\","
                        + "\"message\":\"databasemigrations.dbguard.io \\\"shop\\\" is forbidden\","
                        + "\"code\":403}")))
        .isEqualTo("databasemigrations.dbguard.io \"shop\" is forbidden");
    assertThat(GateJson.message(stream("{\"kind\":\"Status\",\"message\":null}"))).isNull();
    assertThat(GateJson.message(stream("{\"kind\":\"Status\"}"))).isNull();
    assertThat(GateJson.message(stream("Internal Server Error"))).isNull();
    assertThat(GateJson.message(stream(""))).isNull();
  }

  @Test
  void leavesTheStreamOpenForTheRestOfTheBodyToBeRead() throws Exception {
    boolean[] closed = {false};
    InputStream tracking =
        new java.io.FilterInputStream(stream("{\"status\":{}} ")) {
          @Override
          public void close() throws IOException {
            closed[0] = true;
            super.close();
          }
        };
    GateJson.migration(tracking);
    GateJson.message(tracking);
    assertThat(closed[0]).isFalse();
  }
}
