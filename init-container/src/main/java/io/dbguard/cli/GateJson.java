package io.dbguard.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * What the rollout gate reads of the API server's JSON, read with jackson-core's streaming parser
 * (no tree, no data binding: the gate runs at every pod start, and building Jackson's {@code
 * ObjectMapper} cost it a noticeable share of its CPU time): of a DatabaseMigration its {@code
 * metadata.resourceVersion} and the scalar fields of its {@code status}; of a watch event its
 * {@code type} and {@code object}; of an error answer (a {@code Status}) its {@code message}.
 * Everything else in a document is skipped.
 */
final class GateJson {
  /**
   * Leaves the streams it reads open: the caller reads a body to its end to keep the connection.
   */
  private static final JsonFactory FACTORY =
      JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

  private GateJson() {}

  /**
   * A DatabaseMigration as the gate sees it.
   *
   * @param resourceVersion {@code metadata.resourceVersion}, or null
   * @param status the scalar fields of {@code status} (phase, image, lastSucceededImage, reason,
   *     message …) as text: strings as they are, numbers and booleans in their JSON text ({@code
   *     3}, {@code 1.5}, {@code true}); null values, objects and arrays left out. Null when there
   *     is no {@code status} or it is not an object.
   */
  record Observed(String resourceVersion, Map<String, Object> status) {}

  /**
   * One line of a watch.
   *
   * @param type {@code ADDED}, {@code MODIFIED}, {@code DELETED}, {@code ERROR} …; empty when
   *     absent
   * @param object its {@code object} (for {@code ERROR} a Status, read the same way), or null when
   *     the event has none
   */
  record Event(String type, Observed object) {}

  /**
   * Reads one DatabaseMigration (the first JSON value of {@code in}; an empty stream or a value
   * that is not an object reads as neither version nor status). Leaves {@code in} open.
   *
   * @throws IOException when it cannot be read or is not JSON
   */
  static Observed migration(InputStream in) throws IOException {
    try (JsonParser p = FACTORY.createParser(in)) {
      return observed(p, p.nextToken());
    }
  }

  /**
   * The same for a JSON tree that another reader built ({@code dbguard kubectl status}), so that
   * both read a status by the same rules.
   *
   * @return what the gate sees of {@code migration}, or null when it is null
   */
  static Observed migration(JsonNode migration) {
    if (migration == null) {
      return null;
    }
    try (JsonParser p = migration.traverse()) {
      return observed(p, p.nextToken());
    } catch (IOException e) {
      throw new IllegalStateException("a JSON tree cannot be read back", e);
    }
  }

  /**
   * Reads one line of a watch.
   *
   * @throws IOException when the line is not JSON
   */
  static Event event(String line) throws IOException {
    try (JsonParser p = FACTORY.createParser(line)) {
      String type = "";
      Observed object = null;
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return new Event(type, null);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        if ("type".equals(field)) {
          String s = scalar(p, t);
          type = s == null ? "" : s;
        } else if ("object".equals(field)) {
          object = observed(p, t);
        } else {
          p.skipChildren();
        }
      }
      return new Event(type, object);
    }
  }

  /**
   * The {@code message} of an error answer ({@code {"kind":"Status","message":"…"}}), or null when
   * it has none or is not JSON. Leaves {@code in} open. Never throws.
   */
  static String message(InputStream in) {
    try (JsonParser p = FACTORY.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return field(p, "message");
    } catch (IOException e) {
      return null;
    }
  }

  /** Reads the value at {@code t} (the current token) up to and including its end. */
  private static Observed observed(JsonParser p, JsonToken t) throws IOException {
    if (t != JsonToken.START_OBJECT) {
      p.skipChildren();
      return new Observed(null, null);
    }
    String resourceVersion = null;
    Map<String, Object> status = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      // a repeated field: the last one counts, as in a JSON tree
      if ("metadata".equals(field)) {
        resourceVersion = v == JsonToken.START_OBJECT ? field(p, "resourceVersion") : skip(p);
      } else if ("status".equals(field)) {
        status = v == JsonToken.START_OBJECT ? scalars(p) : null;
        p.skipChildren();
      } else {
        p.skipChildren();
      }
    }
    return new Observed(resourceVersion, status);
  }

  /** The scalar fields of the object just started, read up to its end. */
  private static Map<String, Object> scalars(JsonParser p) throws IOException {
    Map<String, Object> m = new HashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      String text = scalar(p, p.nextToken());
      if (text == null) {
        m.remove(name);
      } else {
        m.put(name, text);
      }
    }
    return m;
  }

  /** The scalar field {@code name} of the object just started, read up to its end; or null. */
  private static String field(JsonParser p, String name) throws IOException {
    String value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      boolean wanted = name.equals(p.currentName());
      String text = scalar(p, p.nextToken());
      if (wanted) {
        value = text;
      }
    }
    return value;
  }

  private static String skip(JsonParser p) throws IOException {
    p.skipChildren();
    return null;
  }

  /**
   * The text of the scalar at {@code t}, as a JSON tree's {@code asText()} gives it (numbers in
   * their canonical form: {@code 1.50} reads as {@code 1.5}); null for a JSON null, and for an
   * object or array, which is skipped.
   */
  private static String scalar(JsonParser p, JsonToken t) throws IOException {
    if (t == null) {
      return null;
    }
    return switch (t) {
      case VALUE_STRING -> p.getText();
      case VALUE_NUMBER_INT -> p.getNumberValue().toString();
      case VALUE_NUMBER_FLOAT -> Double.toString(p.getDoubleValue());
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> null;
      case START_OBJECT, START_ARRAY -> skip(p);
      default -> p.getText();
    };
  }
}
