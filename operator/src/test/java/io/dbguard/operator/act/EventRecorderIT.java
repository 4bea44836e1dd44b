package io.dbguard.operator.act;

import static org.assertj.core.api.Assertions.assertThat;

import io.dbguard.operator.model.DatabaseMigration;
import io.dbguard.operator.model.Phase;
import io.dbguard.testcluster.TestNamespace;
import io.dbguard.testcluster.WithTestCluster;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link EventRecorder} on the real API server: Events recorded at once for one migration all exist
 * under distinct names, and an Event whose first name is already taken (409 AlreadyExists) is
 * recorded under another instead of being lost.
 */
@WithTestCluster
class EventRecorderIT {
  static KubernetesClient client;

  @Test
  void eventsRecordedConcurrentlyForOneMigrationAllExist(@TestNamespace String ns)
      throws Exception {
    DatabaseMigration m = migration(ns, "shop");
    EventRecorder recorder = new EventRecorder(client);
    int n = 24;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        int k = i;
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  recorder.phaseChanged(m, Phase.Pending, "Step" + k, "event " + k, Instant.now());
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Event> events = eventsOf(ns, "shop");
    assertThat(events).hasSize(n);
    assertThat(events.stream().map(e -> e.getMetadata().getName()).distinct()).hasSize(n);
    assertThat(events.stream().map(Event::getReason).distinct()).hasSize(n);
    assertThat(events).allSatisfy(e -> assertThat(e.getMetadata().getName()).startsWith("shop."));
  }

  @Test
  void anEventWhoseFirstNameIsTakenIsRecordedUnderAnother(@TestNamespace String ns) {
    DatabaseMigration m = migration(ns, "shop");
    // An Event already holds the name the recorder tries first (as when two nanoTime-based names
    // met, or a second operator replica recorded at the same instant).
    client
        .v1()
        .events()
        .inNamespace(ns)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withName("shop.taken")
                .endMetadata()
                .withNewInvolvedObject()
                .withKind("DatabaseMigration")
                .withName("other")
                .withNamespace(ns)
                .endInvolvedObject()
                .withReason("Other")
                .withMessage("not dbguard's")
                .build())
        .create();
    EventRecorder recorder = new EventRecorder(client, x -> "shop.taken");
    recorder.phaseChanged(m, Phase.Succeeded, null, "migrated", Instant.now());
    List<Event> events = eventsOf(ns, "shop");
    assertThat(events).as("the Event for the phase change exists").hasSize(1);
    assertThat(events.get(0).getMessage()).isEqualTo("Succeeded: migrated");
    assertThat(events.get(0).getMetadata().getName())
        .startsWith("shop.")
        .isNotEqualTo("shop.taken");
  }

  private static DatabaseMigration migration(String ns, String name) {
    DatabaseMigration m = new DatabaseMigration();
    m.getMetadata().setName(name);
    m.getMetadata().setNamespace(ns);
    m.getMetadata().setUid(UUID.randomUUID().toString());
    return m;
  }

  private static List<Event> eventsOf(String ns, String name) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }
}
