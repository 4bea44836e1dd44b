package io.dbguard.operator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;

/** The revision of an attempt: what changes it starts a new attempt. */
public final class Revisions {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * The {@code DatabaseMigration} CRD of the 0.1 release (a classpath resource): its spec schema
   * says which fields 0.1 knew, so the 0.1 revision of a spec can be recomputed after fields were
   * added (a CRD default fills them in on read and would otherwise change it).
   */
  static final String CRD_0_1 = "databasemigrations-0.1.crd.yml";

  private static final JsonNode SPEC_SCHEMA_0_1 = loadSpecSchema();

  private Revisions() {}

  /**
   * The revision of the attempt {@code spec}, {@code image} and {@code retryToken} define: the
   * first 8 lowercase hex characters of SHA-256 over {@code attempt-v2}, the {@link
   * AttemptDefinition#canonical canonical attempt definition}, the resolved image and the retry
   * token (one per line, null written as empty). Editing a field outside the attempt definition
   * does not change it.
   */
  public static String of(DatabaseMigrationSpec spec, String image, String retryToken) {
    return sha8(
        "attempt-v2\n"
            + AttemptDefinition.canonical(spec)
            + "\n"
            + (image == null ? "" : image)
            + "\n"
            + (retryToken == null ? "" : retryToken));
  }

  /**
   * The revision dbguard 0.1 gave the same attempt: SHA-256 over the JSON of the whole spec (pruned
   * to the fields of the 0.1 schema, {@link #CRD_0_1}), the image and the retry token, first 8 hex
   * characters. Used only to recognise an attempt recorded before the upgrade.
   */
  public static String legacy(DatabaseMigrationSpec spec, String image, String retryToken) {
    JsonNode tree = JSON.convertValue(spec, JsonNode.class);
    prune(tree, SPEC_SCHEMA_0_1);
    return sha8(
        JSON.asJson(tree)
            + "\n"
            + (image == null ? "" : image)
            + "\n"
            + (retryToken == null ? "" : retryToken));
  }

  /** Removes every object field the schema does not declare (structural-schema pruning). */
  private static void prune(JsonNode node, JsonNode schema) {
    if (schema == null || schema.isMissingNode()) {
      return;
    }
    if (node instanceof ObjectNode o && schema.has("properties")) {
      JsonNode props = schema.get("properties");
      Iterator<String> names = o.fieldNames();
      while (names.hasNext()) {
        String n = names.next();
        if (!props.has(n)) {
          names.remove();
        } else {
          prune(o.get(n), props.get(n));
        }
      }
    } else if (node instanceof ArrayNode a && schema.has("items")) {
      for (JsonNode e : a) {
        prune(e, schema.get("items"));
      }
    }
  }

  private static JsonNode loadSpecSchema() {
    try (InputStream in = Revisions.class.getResourceAsStream(CRD_0_1)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + CRD_0_1 + " is missing");
      }
      JsonNode crd = new ObjectMapper(new YAMLFactory()).readTree(in);
      return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CRD_0_1, e);
    }
  }

  private static String sha8(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
