package io.dbguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@code dbguard kubectl} prints, from API objects as JSON (no cluster). */
class KubectlTextTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

  static JsonNode json(String s) throws Exception {
    return JSON.readTree(s.replace('\'', '"'));
  }

  static JsonNode backup(String name, String created, String status, String spec) throws Exception {
    return json(
        "{'metadata':{'name':'"
            + name
            + "','namespace':'shop','creationTimestamp':'"
            + created
            + "'},'spec':{'database':'shop','migration':'shop','method':'Dump'"
            + spec
            + "},'status':"
            + status
            + "}");
  }

  @Test
  void backupsTableHasKubectlsLayout() throws Exception {
    List<BackupRow> rows =
        KubectlBackupsCommand.sorted(
            List.of(
                BackupRow.of(
                    backup(
                        "shop-old",
                        "2026-12-03T11:00:00Z",
                        "{'state':'Pruned','verified':true,'sizeBytes':2048}",
                        "")),
                BackupRow.of(
                    backup(
                        "shop-new",
                        "2026-12-06T11:58:30Z",
                        "{'state':'Ready','verified':true,'sizeBytes':12897484}",
                        ",'pinned':true"))));
    assertThat(KubectlText.backupsTable(rows, false, NOW))
        .isEqualTo(
            """
            NAME       DATABASE   METHOD   SIZE       VERIFIED   PINNED   STATE    AGE
            shop-new   shop       Dump     12.3 MiB   yes        yes      Ready    90s
            shop-old   shop       Dump     2.0 KiB    yes        no       Pruned   3d
            """);
    assertThat(KubectlText.backupsTable(rows, true, NOW).lines().findFirst().orElseThrow())
        .startsWith("NAMESPACE   NAME ");
  }

  @Test
  void aRecordOfAnOlderVersionReadsItsFactsFromSpecAndIsReady() throws Exception {
    BackupRow r =
        BackupRow.of(
            json(
                "{'metadata':{'name':'b1','namespace':'shop'},"
                    + "'spec':{'database':'shop','verified':true,'sizeBytes':10}}"));
    assertThat(r.state()).isEqualTo("Ready");
    assertThat(r.verified()).isTrue();
    assertThat(r.sizeBytes()).isEqualTo(10L);
    assertThat(r.method()).isEqualTo("Dump");
    assertThat(r.pinned()).isFalse();
    assertThat(r.created()).isNull();
    assertThat(KubectlText.backupsTable(List.of(r), false, NOW)).contains("10 B").endsWith("-\n");
  }

  static final String ROLLED_BACK =
      """
      {'metadata':{'name':'shop','namespace':'shop','annotations':{'dbguard.io/retry':'1'}},
       'status':{'phase':'RolledBack','reason':'MigrationFailed',
        'message':'migrate exited 1; restored backup shop-b2 (verified)',
        'image':'shop:v2','lastSucceededImage':'shop:v1','revision':'3f2a9c1d','attempt':2,
        'retryToken':'1',
        'current':{'step':'Restore','job':'shop-restore-3f2a9c1d',
                   'startedAt':'2026-12-06T11:50:00Z'},
        'backup':{'name':'shop-b2','databaseBackup':'shop-b2'},
        'fence':{'mode':'ScaleToZero','state':'Lifted'},
        'conditions':[{'type':'Ready','status':'False'},{'type':'Stalled','status':'False'}],
        'history':[
          {'attempt':1,'revision':'aaaa1111','image':'shop:v1','phase':'Succeeded',
           'reason':'Succeeded','startedAt':'2026-12-01T10:00:00Z',
           'finishedAt':'2026-12-01T10:03:00Z'},
          {'attempt':2,'revision':'3f2a9c1d','image':'shop:v2','phase':'RolledBack',
           'reason':'MigrationFailed','startedAt':'2026-12-06T11:45:00Z',
           'finishedAt':'2026-12-06T11:52:30Z'}]}}
      """;

  @Test
  void statusShowsPhaseStepGateAttemptsNewestFirstAndBackups() throws Exception {
    MigrationSummary m = MigrationSummary.of(json(ROLLED_BACK));
    List<BackupRow> backups =
        List.of(
            BackupRow.of(
                backup(
                    "shop-b2", "2026-12-06T11:46:00Z", "{'state':'Ready','verified':true}", "")));
    assertThat(KubectlText.status(m, backups, NOW))
        .isEqualTo(
            """
            DatabaseMigration shop/shop
              phase     RolledBack (MigrationFailed)
              ready     False
              message   migrate exited 1; restored backup shop-b2 (verified)
              image     shop:v2 (last succeeded: shop:v1)
              revision  3f2a9c1d, attempt 2, retry 1
              step      Restore, job shop-restore-3f2a9c1d, started 10m ago
              backup    shop-b2
              fence     Lifted (ScaleToZero)
              gate      shop:v1 open: migration succeeded for image shop:v1
              gate      shop:v2 closed: migration for image shop:v2 is RolledBack: migrate exited 1; restored backup shop-b2 (verified)

            Attempts (newest first):
              ATTEMPT   REVISION   IMAGE     PHASE        REASON            STARTED   TOOK
              2         3f2a9c1d   shop:v2   RolledBack   MigrationFailed   15m ago   7m
              1         aaaa1111   shop:v1   Succeeded    Succeeded         5d ago    3m

            Backups (newest first):
              NAME      DATABASE   METHOD   SIZE   VERIFIED   PINNED   STATE   AGE
              shop-b2   shop       Dump     -      yes        no       Ready   14m
            """);
  }

  @Test
  void aRequestedRestoreIsARowThatNamesTheBackupItPutBack() throws Exception {
    MigrationSummary m =
        MigrationSummary.of(
            json(
                """
                {'metadata':{'name':'shop','namespace':'shop'},
                 'status':{'phase':'RolledBack','reason':'RestoreRequested','image':'shop:v2',
                  'revision':'3f2a9c1d','attempt':2,
                  'history':[
                    {'attempt':2,'revision':'3f2a9c1d','image':'shop:v2','phase':'Succeeded',
                     'reason':'Succeeded','startedAt':'2026-12-06T11:00:00Z',
                     'finishedAt':'2026-12-06T11:03:00Z'},
                    {'attempt':2,'revision':'3f2a9c1d','image':'shop:v2','phase':'RolledBack',
                     'reason':'RestoreRequested','restoredBackup':'shop-b1',
                     'startedAt':'2026-12-06T11:50:00Z','finishedAt':'2026-12-06T11:52:00Z'}]}}
                """));
    String text = KubectlText.status(m, List.of(), NOW);
    assertThat(text)
        .contains(
            """
            Attempts (newest first):
              ATTEMPT   REVISION   IMAGE     PHASE        REASON             RESTORED   STARTED   TOOK
              2         3f2a9c1d   shop:v2   RolledBack   RestoreRequested   shop-b1    10m ago   2m
              2         3f2a9c1d   shop:v2   Succeeded    Succeeded          -          60m ago   3m
            """);
    JsonNode out = JSON.readTree(KubectlText.statusJson(m, List.of()));
    assertThat(out.path("attempts").get(0).path("restoredBackup").asText()).isEqualTo("shop-b1");
    assertThat(out.path("attempts").get(1).path("restoredBackup").isNull()).isTrue();
  }

  @Test
  void aMigrationWithoutStatusIsPendingAndItsPodsWait() throws Exception {
    MigrationSummary m =
        MigrationSummary.of(json("{'metadata':{'name':'shop','namespace':'shop'}}"));
    assertThat(m.phase()).isEqualTo("Pending");
    assertThat(m.gate()).isEmpty();
    assertThat(KubectlText.status(m, List.of(), NOW))
        .isEqualTo(
            """
            DatabaseMigration shop/shop
              phase     Pending
              gate      pods wait: the migration has not started

            No attempts recorded.

            No backups.
            """);
  }

  @Test
  void jsonStatusCarriesTheSummaryAndTheBackups() throws Exception {
    MigrationSummary m = MigrationSummary.of(json(ROLLED_BACK));
    JsonNode out =
        JSON.readTree(
            KubectlText.statusJson(
                m,
                List.of(
                    BackupRow.of(
                        backup(
                            "shop-b2",
                            "2026-12-06T11:46:00Z",
                            "{'state':'Ready','verified':true}",
                            ",'pinned':true")))));
    assertThat(out.path("phase").asText()).isEqualTo("RolledBack");
    assertThat(out.path("attempts").get(0).path("attempt").asInt()).isEqualTo(2);
    assertThat(out.path("attempts").get(0).path("startedAt").asText())
        .isEqualTo("2026-12-06T11:45:00Z");
    assertThat(out.path("gate").get(1).path("state").asText()).isEqualTo("closed");
    assertThat(out.path("backups").get(0).path("pinned").asBoolean()).isTrue();
    assertThat(out.path("step").path("job").asText()).isEqualTo("shop-restore-3f2a9c1d");
  }

  @Test
  void agesSizesAndDurationsAreShort() {
    assertThat(KubectlText.duration(Duration.ofSeconds(45))).isEqualTo("45s");
    assertThat(KubectlText.duration(Duration.ofMinutes(12))).isEqualTo("12m");
    assertThat(KubectlText.duration(Duration.ofHours(5))).isEqualTo("5h");
    assertThat(KubectlText.duration(Duration.ofDays(3))).isEqualTo("3d");
    assertThat(KubectlText.duration(Duration.ofSeconds(-5))).isEqualTo("0s");
    assertThat(KubectlText.age(null, NOW)).isEqualTo("-");
    assertThat(KubectlText.size(812)).isEqualTo("812 B");
    assertThat(KubectlText.size(1536)).isEqualTo("1.5 KiB");
    assertThat(KubectlText.size(2L << 30)).isEqualTo("2.0 GiB");
  }

  @Test
  void aRetryTokenIsTheEpochSecondMadeDifferentFromThePreviousOne() {
    Instant t = Instant.ofEpochSecond(1_765_000_000L);
    assertThat(KubectlRetryCommand.token(t, null)).isEqualTo("1765000000");
    assertThat(KubectlRetryCommand.token(t, "1765000000")).isEqualTo("1765000000-2");
    assertThat(KubectlRetryCommand.token(t, "1765000000-2")).isEqualTo("1765000000");
  }

  @Test
  void aRetryOutsideAFinishedFailureIsExplained() {
    assertThat(KubectlRetryCommand.refusal("shop", "Succeeded"))
        .contains("run the same migration again")
        .contains("--force");
    assertThat(KubectlRetryCommand.refusal("shop", "Migrating"))
        .contains("an attempt is running (phase Migrating)");
  }
}
