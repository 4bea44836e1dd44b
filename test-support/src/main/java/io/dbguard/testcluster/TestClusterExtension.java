package io.dbguard.testcluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JUnit 5 extension behind {@link WithTestCluster}; see there. */
public final class TestClusterExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        TestInstancePostProcessor {
  private static final Logger LOG = LoggerFactory.getLogger(TestClusterExtension.class);
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(TestClusterExtension.class);

  /** Closes the shared cluster when the JUnit run ends (the root store is closed last). */
  private record Holder(TestCluster cluster) implements AutoCloseable {
    @Override
    public void close() {
      cluster.close();
    }
  }

  static TestCluster cluster(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent("cluster", k -> new Holder(TestCluster.shared()), Holder.class)
        .cluster();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    TestCluster cluster = cluster(context);
    for (Class<?> c = context.getRequiredTestClass(); c != null; c = c.getSuperclass()) {
      inject(c, null, cluster, true);
    }
  }

  @Override
  public void postProcessTestInstance(Object testInstance, ExtensionContext context)
      throws Exception {
    TestCluster cluster = cluster(context);
    for (Class<?> c = testInstance.getClass(); c != null; c = c.getSuperclass()) {
      inject(c, testInstance, cluster, false);
    }
  }

  private static void inject(Class<?> type, Object target, TestCluster cluster, boolean statics)
      throws IllegalAccessException {
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) != statics || Modifier.isFinal(f.getModifiers())) {
        continue;
      }
      Object value = valueFor(f.getType(), cluster);
      if (value == null) {
        continue;
      }
      f.setAccessible(true);
      if (f.get(target) == null) {
        f.set(target, value);
      }
    }
  }

  private static Object valueFor(Class<?> type, TestCluster cluster) {
    if (type == TestCluster.class) {
      return cluster;
    }
    if (type == KubernetesClient.class) {
      return cluster.client();
    }
    if (type == LocalNode.class) {
      return cluster.node();
    }
    if (type == SnapshotController.class) {
      return cluster.snapshots();
    }
    return null;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    TestCluster cluster = cluster(context);
    String hint =
        context.getRequiredTestClass().getSimpleName()
            + "-"
            + context.getRequiredTestMethod().getName();
    String ns = cluster.createNamespace(hint);
    context.getStore(STORE).put("namespace", ns);
    context.getStore(STORE).put("started", System.nanoTime());
    cluster.setCurrentNamespace(ns);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestCluster cluster = cluster(context);
    String ns = context.getStore(STORE).remove("namespace", String.class);
    Long started = context.getStore(STORE).remove("started", Long.class);
    cluster.setCurrentNamespace(null);
    cluster.node().resetFaults();
    cluster.snapshots().resetFaults();
    if (ns != null) {
      try {
        cluster.deleteNamespace(ns);
      } catch (RuntimeException e) {
        LOG.warn("cannot delete test namespace {}: {}", ns, e.toString());
      }
    }
    if (started != null) {
      LOG.info(
          "{}.{} took {} ms (namespace {})",
          context.getRequiredTestClass().getSimpleName(),
          context.getRequiredTestMethod().getName(),
          (System.nanoTime() - started) / 1_000_000,
          ns);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) {
    Class<?> type = pc.getParameter().getType();
    if (pc.isAnnotated(TestNamespace.class)) {
      return type == String.class;
    }
    return type == TestCluster.class
        || type == KubernetesClient.class
        || type == LocalNode.class
        || type == SnapshotController.class;
  }

  @Override
  public Object resolveParameter(ParameterContext pc, ExtensionContext ec) {
    TestCluster cluster = cluster(ec);
    if (pc.isAnnotated(TestNamespace.class)) {
      String ns = ec.getStore(STORE).get("namespace", String.class);
      if (ns == null) {
        throw new ParameterResolutionException(
            "@TestNamespace is only available in test methods and @BeforeEach/@AfterEach");
      }
      return ns;
    }
    return valueFor(pc.getParameter().getType(), cluster);
  }
}
