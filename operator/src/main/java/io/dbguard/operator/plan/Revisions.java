package io.dbguard.operator.plan;

import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The revision of an attempt: what changes it starts a new attempt. */
public final class Revisions {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private Revisions() {}

  /**
   * First 8 lowercase hex characters of SHA-256 over the spec's JSON, the resolved image and the
   * retry token (each null written as empty). Stable across operator versions as long as the spec
   * classes serialize the same.
   */
  public static String of(DatabaseMigrationSpec spec, String image, String retryToken) {
    String text =
        JSON.asJson(spec)
            + "\n"
            + (image == null ? "" : image)
            + "\n"
            + (retryToken == null ? "" : retryToken);
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always available", e);
    }
  }
}
