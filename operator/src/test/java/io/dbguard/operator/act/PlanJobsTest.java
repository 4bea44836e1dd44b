package io.dbguard.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.MigrateSpec;
import io.dbguard.operator.plan.Step;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The plan step's Job ({@code spec.approval}): what runs where, and that it stays read-only. */
class PlanJobsTest {

  static final String DJANGO =
      """
      apiVersion: dbguard.io/v1alpha1
      kind: DatabaseMigration
      metadata: {name: shop, namespace: apps, uid: u-1}
      spec:
        database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
        migrate:
          image: shop:v2
          command: [sh, -c, "cd /app && python manage.py migrate --settings=shop.prod"]
          env: [{name: PGOPTIONS, value: "-c statement_timeout=5000"}]
          databaseUrlEnv: APP_DB
        safety:
          environment: staging
          migrationsPath: /app
          acknowledge: [{rule: DBG102, file: shop/migrations/0002_drop.py}]
        approval: {mode: Manual}
      """;

  static final String SQL =
      """
      apiVersion: dbguard.io/v1alpha1
      kind: DatabaseMigration
      metadata: {name: shop, namespace: apps, uid: u-1}
      spec:
        database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
        migrate: {sql: {configMapName: shop-sql}}
        approval: {}
      """;

  @Test
  void builtInSqlRunnerPlansTheConfigMapDirectoryInTheToolImage() {
    Job j = JobFactoryTest.build(SQL, Step.PLAN, null, null);
    assertThat(j.getMetadata().getName()).isEqualTo("shop-plan-abcd1234");
    assertThat(j.getMetadata().getLabels()).containsEntry("dbguard.io/step", "plan");
    PodSpec pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    Container c = pod.getContainers().get(0);
    assertThat(c.getArgs())
        .containsExactly(
            "plan",
            "--sql-dir",
            JobFactory.SQL_DIR,
            "--environment",
            "production",
            "--termination-log",
            JobFactory.TERMINATION_LOG);
    assertThat(pod.getVolumes()).anyMatch(v -> v.getConfigMap() != null);
    // reads only: no backup volume
    assertThat(pod.getVolumes()).noneMatch(v -> v.getPersistentVolumeClaim() != null);
  }

  @Test
  void djangoListingRunsReadOnlyInTheApplicationImageAndTheToolReadsIt() {
    Job j = JobFactoryTest.build(DJANGO, Step.PLAN, null, null);
    PodSpec pod = j.getSpec().getTemplate().getSpec();
    Container listing = pod.getInitContainers().get(0);
    assertThat(listing.getName()).isEqualTo("plan-listing");
    assertThat(listing.getImage()).isEqualTo("shop:v2");
    assertThat(listing.getCommand().get(2))
        .contains("cd /app && python manage.py showmigrations --plan --settings=shop.prod")
        .contains(">" + PlanJobs.LISTING_OUT)
        .contains("cp -R '/app'/. " + PlanJobs.FILES_DIR)
        .doesNotContain(" migrate ");
    assertThat(listing.getEnv())
        .contains(
            new EnvVar(
                "PGOPTIONS", "-c statement_timeout=5000 -c default_transaction_read_only=on", null))
        .anyMatch(e -> e.getName().equals("APP_DB") && e.getValueFrom() != null);
    Container tool = pod.getContainers().get(0);
    assertThat(tool.getImage()).isNotEqualTo("shop:v2");
    assertThat(tool.getArgs())
        .containsSubsequence(
            "plan",
            "--migrate-command",
            "cd /app && python manage.py migrate --settings=shop.prod",
            "--plan-command",
            "cat " + PlanJobs.LISTING_OUT + "; exit \"$(cat " + PlanJobs.LISTING_RC + ")\"",
            "--workdir",
            PlanJobs.FILES_DIR,
            "--environment",
            "staging",
            "--acknowledge",
            "DBG102:shop/migrations/0002_drop.py");
    assertThat(tool.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals(PlanJobs.PLAN_DIR));
    // credentials only from the Secret
    assertThat(String.join(" ", tool.getArgs())).doesNotContain("postgresql://");
  }

  @Test
  void anUnrecognisedCommandIsPlannedWithoutAListing() {
    String yaml = DJANGO.replace("python manage.py migrate --settings=shop.prod", "./migrate.sh");
    Job j = JobFactoryTest.build(yaml, Step.PLAN, null, null);
    PodSpec pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getContainers().get(0).getArgs())
        .containsSubsequence("plan", "--migrate-command", "cd /app && ./migrate.sh")
        .doesNotContain("--plan-command");
  }

  @Test
  void aFromWorkloadMigrationListsWithTheWorkloadsCommand() {
    String yaml =
        """
        apiVersion: dbguard.io/v1alpha1
        kind: DatabaseMigration
        metadata: {name: shop, namespace: apps, uid: u-1}
        spec:
          database: {name: shop, engine: PostgreSQL, urlSecretRef: {name: shop-db}}
          migrate: {fromWorkload: {kind: Deployment, name: web}}
          approval: {}
        """;
    var template =
        new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
            .withNewSpec()
            .withServiceAccountName("web-sa")
            .addNewContainer()
            .withName("web")
            .withImage("shop:v3")
            .withCommand("bin/rails", "db:migrate")
            .endContainer()
            .endSpec()
            .build();
    Job j = JobFactoryTest.build(yaml, Step.PLAN, template, null);
    PodSpec pod = j.getSpec().getTemplate().getSpec();
    assertThat(pod.getServiceAccountName()).isEqualTo("web-sa");
    assertThat(pod.getInitContainers().get(0).getCommand().get(2))
        .startsWith("mkdir -p " + PlanJobs.FILES_DIR + "; bin/rails db:migrate:status >");
    assertThat(pod.getContainers().get(0).getArgs())
        .containsSubsequence("plan", "--migrate-command", "bin/rails db:migrate", "--plan-command");
  }

  @Test
  void commandLineQuotesWordsForTheShell() {
    MigrateSpec m = new MigrateSpec();
    m.setCommand(List.of("bin/rails", "db:migrate"));
    m.setArgs(List.of("VERSION=2", "it's here"));
    assertThat(PlanJobs.commandLine(m, null))
        .isEqualTo("bin/rails db:migrate VERSION=2 'it'\"'\"'s here'");
    m.setCommand(List.of("/bin/bash", "-c", "bundle exec rake db:migrate"));
    m.setArgs(null);
    assertThat(PlanJobs.commandLine(m, null)).isEqualTo("bundle exec rake db:migrate");
  }
}
