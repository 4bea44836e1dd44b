package io.dbguard.operator.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** The revision of an attempt: what changes it starts a new attempt. */
public final class Revisions {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /**
   * Spec fields (dotted paths) that the 0.1 release did not have. The 0.1 revision of a spec is
   * computed without them, so a field added since (and filled in by a CRD default) does not hide an
   * attempt recorded by 0.1. Every new spec field must be listed here.
   */
  static final List<String> FIELDS_ADDED_SINCE_0_1 = List.of();

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
   * The revision dbguard 0.1 gave the same attempt: SHA-256 over the JSON of the whole spec
   * (without {@link #FIELDS_ADDED_SINCE_0_1}), the image and the retry token, first 8 hex
   * characters. Used only to recognise an attempt recorded before the upgrade.
   */
  public static String legacy(DatabaseMigrationSpec spec, String image, String retryToken) {
    JsonNode tree = JSON.convertValue(spec, JsonNode.class);
    for (String path : FIELDS_ADDED_SINCE_0_1) {
      remove(tree, path.split("\\."), 0);
    }
    return sha8(
        JSON.asJson(tree)
            + "\n"
            + (image == null ? "" : image)
            + "\n"
            + (retryToken == null ? "" : retryToken));
  }

  private static void remove(JsonNode node, String[] path, int i) {
    if (!(node instanceof ObjectNode o)) {
      return;
    }
    if (i == path.length - 1) {
      o.remove(path[i]);
      return;
    }
    remove(o.get(path[i]), path, i + 1);
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
