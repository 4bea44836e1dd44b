package io.dbguard.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.Acknowledgement;
import io.dbguard.operator.model.DatabaseMigrationSpec;
import io.dbguard.operator.model.SafetySpec;
import io.dbguard.operator.plan.Validation;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecValidatorTest {

  static DatabaseMigrationSpec spec(String command) {
    return Serialization.unmarshal(
        """
        database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
        migrate: {image: "shop:v2", command: %s}
        backup: {storage: {claimName: backups}}
        """
            .formatted(command),
        DatabaseMigrationSpec.class);
  }

  final SpecValidator validator = new SpecValidator();

  @Test
  void dangerousCommandIsRefusedInProductionByDefault() {
    Validation v = validator.validate(spec("[bin/rails, db:reset]"), ref -> true);
    assertThat(v.refused()).isTrue();
    assertThat(v.refusedMessage()).contains("db:reset");
  }

  @Test
  void dangerousCommandRunsInDevelopmentOrWhenAcknowledgedExactly() {
    DatabaseMigrationSpec dev = spec("[bin/rails, db:reset]");
    dev.setSafety(new SafetySpec());
    dev.getSafety().setEnvironment("development");
    assertThat(validator.validate(dev, ref -> true).refused()).isFalse();

    DatabaseMigrationSpec acked = spec("[bin/rails, db:reset]");
    acked.setSafety(new SafetySpec());
    Acknowledgement a = new Acknowledgement();
    a.setCommand("bin/rails db:reset");
    acked.getSafety().setAcknowledge(List.of(a));
    assertThat(validator.validate(acked, ref -> true).refused()).isFalse();
  }

  @Test
  void dangerousCommandInsideShIsFound() {
    Validation v =
        validator.validate(
            spec("[sh, -c, 'bundle exec rake db:migrate && dropdb shop']"), r -> true);
    assertThat(v.refused()).isTrue();
  }

  @Test
  void safeCommandWithMissingReferencesListsThem() {
    Set<String> present = Set.of("PersistentVolumeClaim/backups");
    Validation v = validator.validate(spec("[bin/rails, db:migrate]"), present::contains);
    assertThat(v.refused()).isFalse();
    assertThat(v.invalidSpec()).isNull();
    assertThat(v.missing()).containsExactly("Secret/shop-db");
  }

  @Test
  void incompleteSpecsAreInvalid() {
    DatabaseMigrationSpec noSecret = spec("[x]");
    noSecret.getDatabase().setUrlSecretRef(null);
    assertThat(validator.validate(noSecret, r -> true).invalidSpec()).contains("urlSecretRef");
    DatabaseMigrationSpec noStorage = spec("[x]");
    noStorage.setBackup(null);
    assertThat(validator.validate(noStorage, r -> true).invalidSpec()).contains("backup.storage");
  }

  @Test
  void compressionLevelIsForPostgresDumpsOnly() {
    DatabaseMigrationSpec pg = spec("[x]");
    pg.getBackup().setCompressionLevel(0);
    assertThat(validator.validate(pg, r -> true).invalidSpec()).isNull();
    DatabaseMigrationSpec sqlite = spec("[x]");
    sqlite.getDatabase().setEngine(io.dbguard.operator.model.Engine.SQLite);
    sqlite.getDatabase().setUrlSecretRef(null);
    sqlite.getDatabase().setVolume(new io.dbguard.operator.model.DatabaseVolume());
    assertThat(validator.validate(sqlite, r -> true).invalidSpec()).isNull();
    sqlite.getBackup().setCompressionLevel(1);
    assertThat(validator.validate(sqlite, r -> true).invalidSpec())
        .contains("compressionLevel applies to PostgreSQL dumps only");
  }

  static DatabaseMigrationSpec snapshotSpec(String engine, String rollout) {
    String db =
        engine.equals("SQLite")
            ? "{name: shop, engine: SQLite, volume: {claimName: data, path: app.db}}"
            : engine.equals("PostgreSQL")
                ? "{name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}"
                : "{name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}, volume: "
                    + engine.substring("PostgreSQL ".length())
                    + "}";
    return Serialization.unmarshal(
        """
        database: %s
        migrate: {image: "shop:v2", command: [x]}
        backup: {method: VolumeSnapshot, volumeSnapshotClassName: csi-snap}
        %s
        """
            .formatted(db, rollout),
        DatabaseMigrationSpec.class);
  }

  @Test
  void volumeSnapshotNeedsADatabaseOnAClaimAndWritersItCanFence() {
    String web = "rollout: {workloads: [{kind: Deployment, name: web}]}";
    Validation ok = validator.validate(snapshotSpec("SQLite", web), r -> true);
    assertThat(ok.invalidSpec()).isNull();
    assertThat(SpecValidator.references(snapshotSpec("SQLite", web)))
        .as("no backup storage claim is needed")
        .containsExactly("PersistentVolumeClaim/data");
    assertThat(validator.validate(snapshotSpec("PostgreSQL", web), r -> true).invalidSpec())
        .as("PostgreSQL without the claim of its data directory")
        .contains("needs database.volume")
        .contains("data directory");
    assertThat(
            validator
                .validate(snapshotSpec("PostgreSQL {claimName: pg, path: pgdata}", web), r -> true)
                .invalidSpec())
        .contains("database.volume.runAsUser");
    DatabaseMigrationSpec pg =
        snapshotSpec("PostgreSQL {claimName: pg, path: pgdata, runAsUser: 999}", web);
    assertThat(validator.validate(pg, r -> true).invalidSpec())
        .as("PostgreSQL without the SnapshotCheck Job that proves the copy usable")
        .contains("needs backup.verify: true");
    pg.getBackup().setVerify(true);
    assertThat(validator.validate(pg, r -> true).invalidSpec()).isNull();
    assertThat(SpecValidator.references(pg)).contains("PersistentVolumeClaim/pg");
    assertThat(
            validator
                .validate(
                    verified(
                        snapshotSpec(
                            "PostgreSQL {claimName: pg, path: pgdata, runAsUser: 999}",
                            "rollout: {writeFence: None, workloads: [{kind: Deployment, name:"
                                + " web}]}")),
                    r -> true)
                .invalidSpec())
        .contains("needs the write fence");
    assertThat(
            validator
                .validate(
                    snapshotSpec(
                        "SQLite",
                        "rollout: {writeFence: None, workloads: [{kind: Deployment, name: web}]}"),
                    r -> true)
                .invalidSpec())
        .contains("needs the write fence")
        .contains("crash-consistent");
    assertThat(validator.validate(snapshotSpec("SQLite", ""), r -> true).invalidSpec())
        .contains("rollout.workloads");
  }

  static DatabaseMigrationSpec verified(DatabaseMigrationSpec spec) {
    spec.getBackup().setVerify(true);
    return spec;
  }
}
