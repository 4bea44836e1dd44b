package io.dbguard.operator.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A finished Job whose pod's final status has not reached the pod cache yet is read as still
 * running ({@link MigrationObserver#podStatusLags}), so the step's exit code and result decide its
 * reason, not the Job's bare failure reason.
 */
class PodStatusLagTest {

  private static Pod pod(String phase) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("step-x").endMetadata();
    return phase == null ? b.build() : b.withNewStatus().withPhase(phase).endStatus().build();
  }

  @Test
  void aPodCachedAsRunningOrPendingLags() {
    assertThat(MigrationObserver.podStatusLags(List.of(pod("Running")))).isTrue();
    assertThat(MigrationObserver.podStatusLags(List.of(pod("Pending")))).isTrue();
    assertThat(MigrationObserver.podStatusLags(List.of(pod(null)))).isTrue();
    assertThat(MigrationObserver.podStatusLags(List.of(pod("Failed"), pod("Running")))).isTrue();
  }

  @Test
  void terminalPodsOrNoPodDoNotLag() {
    assertThat(MigrationObserver.podStatusLags(List.of())).isFalse();
    assertThat(MigrationObserver.podStatusLags(List.of(pod("Failed")))).isFalse(); // evicted
    assertThat(MigrationObserver.podStatusLags(List.of(pod("Succeeded")))).isFalse();
    Pod deleting = pod("Running");
    deleting.getMetadata().setDeletionTimestamp("2026-12-07T21:00:00Z");
    assertThat(MigrationObserver.podStatusLags(List.of(deleting))).isFalse();
  }
}
