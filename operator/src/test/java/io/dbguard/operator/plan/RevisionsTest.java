package io.dbguard.operator.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.Acknowledgement;
import io.dbguard.operator.model.BackupMethod;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.DatabaseVolume;
import io.dbguard.operator.model.OnFailure;
import io.dbguard.operator.model.SeedPolicy;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What starts an attempt (the attempt definition) and what does not. */
class RevisionsTest {

  /** A spec with every section set, as dbguard 0.1 users wrote it. */
  static DatabaseMigrationSpec fixture() {
    try (InputStream in =
        RevisionsTest.class.getResourceAsStream("/revisions/release-0.1-spec.yaml")) {
      return Serialization.unmarshal(in, DatabaseMigration.class).getSpec();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rev(DatabaseMigrationSpec s) {
    return Revisions.of(s, "shop:v2", null);
  }

  static Arguments edit(String what, Consumer<DatabaseMigrationSpec> change) {
    return Arguments.of(what, change);
  }

  static Stream<Arguments> notAttemptFields() {
    return Stream.of(
        edit("backup.retention.keepLast", s -> s.getBackup().getRetention().setKeepLast(3)),
        edit("backup.retention.maxAgeDays", s -> s.getBackup().getRetention().setMaxAgeDays(30)),
        edit("backup.compressionLevel", s -> s.getBackup().setCompressionLevel(9)),
        edit("backup.storage.claimName", s -> s.getBackup().getStorage().setClaimName("big")),
        edit("backup.required", s -> s.getBackup().setRequired(false)),
        edit("backup.keepFailedCopies", s -> s.getBackup().setKeepFailedCopies(5)),
        edit(
            "backup.keepFailedCopies default filled in", s -> s.getBackup().setKeepFailedCopies(3)),
        edit("backup.method", s -> s.getBackup().setMethod(BackupMethod.VolumeSnapshot)),
        edit("onFailure", s -> s.setOnFailure(OnFailure.Halt)),
        edit("rollout", s -> s.setRollout(null)),
        edit("toolImage", s -> s.setToolImage("ghcr.io/dbguard/dbguard:0.2.0")),
        edit("jobTtlSeconds", s -> s.setJobTtlSeconds(600)),
        edit("migrate.timeoutSeconds", s -> s.getMigrate().setTimeoutSeconds(3600L)),
        edit(
            "migrate.resources",
            s ->
                s.getMigrate()
                    .setResources(
                        new ResourceRequirements(
                            null, Map.of("memory", new Quantity("2Gi")), null))),
        edit(
            "safety.acknowledge[].reason",
            s -> s.getSafety().getAcknowledge().get(0).setReason("reviewed by the DBA")));
  }

  static Stream<Arguments> attemptFields() {
    return Stream.of(
        edit("database.name", s -> s.getDatabase().setName("shop2")),
        edit("database.urlSecretRef.name", s -> s.getDatabase().getUrlSecretRef().setName("x")),
        edit("database.urlSecretRef.key", s -> s.getDatabase().getUrlSecretRef().setKey("u2")),
        edit(
            "database.volume",
            s -> {
              DatabaseVolume v = new DatabaseVolume();
              v.setClaimName("data");
              v.setPath("app.db");
              s.getDatabase().setVolume(v);
            }),
        edit("migrate.command", s -> s.getMigrate().setCommand(List.of("bin/rails", "db:up"))),
        edit("migrate.args", s -> s.getMigrate().setArgs(List.of("--verbose"))),
        edit(
            "migrate.env",
            s -> s.getMigrate().setEnv(List.of(new EnvVar("RAILS_ENV", "staging", null)))),
        edit("migrate.databaseUrlEnv", s -> s.getMigrate().setDatabaseUrlEnv("DB_URL")),
        edit("migrate.serviceAccountName", s -> s.getMigrate().setServiceAccountName("migr")),
        edit("seed.command", s -> s.getSeed().setCommand(List.of("bin/seed"))),
        edit("seed.policy", s -> s.getSeed().setPolicy(SeedPolicy.Never)),
        edit("safety.environment", s -> s.getSafety().setEnvironment("staging")),
        edit("safety.migrationsPath", s -> s.getSafety().setMigrationsPath("/app/db")),
        edit(
            "safety.acknowledge[].rule",
            s -> {
              Acknowledgement a = new Acknowledgement();
              a.setRule("rename-table");
              a.setFile("V3.sql");
              s.getSafety().setAcknowledge(List.of(a));
            }),
        edit(
            "safety.acknowledgeDataLoss",
            s -> s.getSafety().setAcknowledgeDataLoss(List.of("items.note"))));
  }

  @ParameterizedTest(name = "{0} is not part of the attempt")
  @MethodSource("notAttemptFields")
  void editingAFieldOutsideTheAttemptKeepsTheRevision(
      String field, Consumer<DatabaseMigrationSpec> change) {
    DatabaseMigrationSpec s = fixture();
    String before = rev(s);
    change.accept(s);
    assertThat(rev(s)).isEqualTo(before);
  }

  @ParameterizedTest(name = "{0} is part of the attempt")
  @MethodSource("attemptFields")
  void editingAnAttemptFieldChangesTheRevision(
      String field, Consumer<DatabaseMigrationSpec> change) {
    DatabaseMigrationSpec s = fixture();
    String before = rev(s);
    change.accept(s);
    assertThat(rev(s)).isNotEqualTo(before).matches("[0-9a-f]{8}");
  }

  @Test
  void imageAndRetryTokenArePartOfTheAttempt() {
    DatabaseMigrationSpec s = fixture();
    assertThat(Revisions.of(s, "shop:v3", null)).isNotEqualTo(rev(s));
    assertThat(Revisions.of(s, "shop:v2", "1")).isNotEqualTo(rev(s));
  }

  @Test
  void defaultsFilledInByTheApiserverDoNotChangeTheRevision() {
    DatabaseMigrationSpec written = fixture();
    written.getDatabase().getUrlSecretRef().setKey(null);
    written.getMigrate().setDatabaseUrlEnv(null);
    written.getSeed().setPolicy(null);
    written.getSafety().setEnvironment(null);
    written.getSafety().setLint(null);
    // the fixture carries every one of these at its CRD default
    assertThat(rev(written)).isEqualTo(rev(fixture()));
  }

  /**
   * The 0.1 release computed {@code b8b2a3aa} and {@code 35021541} for this spec with image shop:v2
   * (retry token unset / "7"): its revision hashed the whole spec's JSON. Recognising those values
   * is what keeps an upgrade from restarting recorded attempts.
   */
  @Test
  void legacyRevisionIsTheOneDbguard01Recorded() {
    assertThat(Revisions.legacy(fixture(), "shop:v2", null)).isEqualTo("b8b2a3aa");
    assertThat(Revisions.legacy(fixture(), "shop:v2", "7")).isEqualTo("35021541");
    assertThat(rev(fixture())).isNotEqualTo("b8b2a3aa");
  }
}
