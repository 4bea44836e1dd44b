package io.dbguard.testcluster;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against the real test control plane ({@link TestCluster}).
 *
 * <ul>
 *   <li>The control plane is shared by every test class of the JVM: started on first use, stopped
 *       after the last test (and by a shutdown hook). Missing binaries fail the class with a
 *       message pointing at {@code scripts/k8s-binaries.sh}; tests are never skipped.
 *   <li>Each test method gets a fresh namespace, deleted afterwards: {@link
 *       TestCluster#namespace()} or a {@code @TestNamespace String} parameter.
 *   <li>Injected as parameters (constructor, lifecycle, test methods) and into fields that are
 *       still null (static fields before {@code @BeforeAll}, instance fields after construction):
 *       {@link TestCluster}, {@link io.fabric8.kubernetes.client.KubernetesClient} (admin), {@link
 *       LocalNode}, {@link SnapshotController}.
 *   <li>After each test the injected faults of the local node and the snapshot controller are
 *       removed. Image mappings stay (register them in {@code @BeforeAll}; the last registration
 *       wins).
 * </ul>
 *
 * <pre>{@code
 * @WithTestCluster
 * class MigrationIT {
 *   static TestCluster cluster;
 *
 *   @BeforeAll
 *   static void images() {
 *     cluster.node().mapImage("dbguard/dbguard*", ImageMapping.javaMain("io.dbguard.cli.Main"));
 *   }
 *
 *   @Test
 *   void runs(KubernetesClient client, @TestNamespace String ns) { ... }
 * }
 * }</pre>
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(TestClusterExtension.class)
public @interface WithTestCluster {}
