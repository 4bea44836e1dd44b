package io.dbguard.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/**
 * The operator carries one HTTP client for the Kubernetes client, the JDK's: fabric8 finds its
 * factories with {@link ServiceLoader} and, given two of the same priority, picks one at random (it
 * logs "chosen randomly"). The Vert.x client (HTTP/1.1, a new connection per concurrent request)
 * doubled the time from apply to backup Job in a burst of 50 (docs/benchmarks.md, "Operator at
 * scale"). This module's test classpath resolves the Kubernetes client as its runtime does, so a
 * dependency that brings Vert.x back fails here.
 */
class HttpClientFactoryTest {

  @Test
  void theOnlyHttpClientFactoryIsTheJdkOne() {
    assertThat(
            ServiceLoader.load(HttpClient.Factory.class).stream().map(ServiceLoader.Provider::type))
        .containsExactly(JdkHttpClientFactory.class);
  }
}
