package io.dbguard.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.OperatorConfig;
import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.RetentionItem;
import io.dbguard.operator.model.RetentionState;
import io.dbguard.operator.model.RetentionStatus;
import io.dbguard.operator.plan.JobNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prune Job: exact names from status.retention, no step label, the database's URL. */
class PruneJobsTest {

  static RetentionStatus retention() {
    RetentionStatus r = new RetentionStatus();
    r.setRevision("abcd1234");
    r.setState(RetentionState.Pruning);
    r.setJob(JobNames.prune("shop", "abcd1234"));
    r.setPrune(List.of(new RetentionItem("shop-1", "shop_1.dump")));
    r.setCheck(
        List.of(
            new RetentionItem("shop-2", "shop_2.dump"),
            new RetentionItem("shop-3", "shop_3.dump")));
    return r;
  }

  @Test
  void deletesExactlyThePlannedFilesAndIsNoStepOfTheAttempt() {
    DatabaseMigration m = Serialization.unmarshal(JobFactoryTest.PG, DatabaseMigration.class);
    Job j = new PruneJobs(OperatorConfig.defaults()).build(m, retention(), null);

    assertThat(j.getMetadata().getName()).isEqualTo("shop-prune-abcd1234");
    assertThat(j.getMetadata().getLabels())
        .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .containsEntry(Labels.TASK, "prune")
        .containsEntry(Labels.DATABASE, "shop")
        .doesNotContainKey(Labels.STEP);
    assertThat(j.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey(Labels.STEP);
    assertThat(j.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getUid()).isEqualTo("u-1");
              assertThat(o.getController()).isTrue();
            });
    assertThat(j.getSpec().getBackoffLimit()).isZero();
    Container c = j.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(c.getArgs())
        .containsExactly(
            "backups",
            "prune",
            "--backup-dir",
            JobFactory.BACKUP_DIR,
            "--delete",
            "shop_1.dump",
            "--expect",
            "shop_2.dump",
            "--expect",
            "shop_3.dump",
            "--termination-log",
            JobFactory.TERMINATION_LOG);
    // the URL reaches the container only from the Secret, never in args
    assertThat(c.getEnv())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("DATABASE_URL");
              assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("shop-db");
            });
    assertThat(c.getVolumeMounts())
        .anySatisfy(v -> assertThat(v.getMountPath()).isEqualTo(JobFactory.BACKUP_DIR));
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
  }
}
