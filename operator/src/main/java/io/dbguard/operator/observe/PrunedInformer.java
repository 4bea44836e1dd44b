package io.dbguard.operator.observe;

import io.dbguard.operator.model.DatabaseMigration;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.api.config.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Constants;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An event source over fabric8 informers (one per watched namespace, or one for all namespaces, as
 * the controller watches) whose caches keep a pruned copy of each object ({@link Pruning}): the
 * list and watch responses are read, only the pruned copy is kept. Each change that the pruned
 * copies show is mapped to the DatabaseMigrations it concerns, which are reconciled.
 *
 * <p>JOSDK's own informer event sources take one {@code ItemStore} for all their namespaces; a
 * fabric8 informer drops from its store every key its own list did not return, so a shared store
 * would lose other namespaces' objects. Here each informer has its own store.
 *
 * @param <R> the resource type
 */
final class PrunedInformer<R extends HasMetadata> extends AbstractEventSource<R, DatabaseMigration>
    implements ResourceEventHandler<R> {
  /** How long {@link #start} waits for the first list of each informer, seconds. */
  static final long SYNC_TIMEOUT_SECONDS = 120;

  private final KubernetesClient client;
  private final ControllerConfiguration<DatabaseMigration> controller;
  private final BiFunction<KubernetesClient, String, Informable<R>> source;
  private final UnaryOperator<R> prune;
  private final Function<R, Set<ResourceID>> toPrimaries;
  private final Map<String, Function<R, List<String>>> indexers;
  private final Map<String, SharedIndexInformer<R>> informers = new ConcurrentHashMap<>();

  /**
   * @param source the informable for a namespace, or for all namespaces when it is null
   * @param prune what the cache keeps of an object; must keep every field {@code indexers} and
   *     {@code toPrimaries} read
   * @param toPrimaries the DatabaseMigrations to reconcile when an object is added, deleted, or
   *     changed in a field {@code prune} keeps
   * @param indexers named index functions over the pruned objects
   */
  PrunedInformer(
      String name,
      Class<R> type,
      KubernetesClient client,
      ControllerConfiguration<DatabaseMigration> controller,
      BiFunction<KubernetesClient, String, Informable<R>> source,
      UnaryOperator<R> prune,
      Function<R, Set<ResourceID>> toPrimaries,
      Map<String, Function<R, List<String>>> indexers) {
    super(type, name);
    this.client = client;
    this.controller = controller;
    this.source = source;
    this.prune = prune;
    this.toPrimaries = toPrimaries;
    this.indexers = indexers;
  }

  @Override
  public synchronized void start() throws OperatorException {
    if (isRunning()) {
      return;
    }
    Set<String> namespaces = controller.getEffectiveNamespaces();
    List<String> targets = new ArrayList<>();
    if (namespaces.contains(Constants.WATCH_ALL_NAMESPACES)) {
      targets.add(null);
    } else if (namespaces.contains(Constants.WATCH_CURRENT_NAMESPACE)) {
      targets.add(client.getNamespace());
    } else {
      targets.addAll(namespaces);
    }
    for (String ns : targets) {
      SharedIndexInformer<R> i = source.apply(client, ns).runnableInformer(0);
      i.itemStore(new PrunedStore<>(prune));
      i.addIndexers(indexers);
      i.addEventHandler(this);
      informers.put(ns == null ? Constants.WATCH_ALL_NAMESPACES : ns, i);
    }
    for (SharedIndexInformer<R> i : informers.values()) {
      try {
        i.start().toCompletableFuture().get(SYNC_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new OperatorException("interrupted while " + name() + " lists", e);
      } catch (ExecutionException | TimeoutException e) {
        throw new OperatorException(name() + " could not list: " + e.getMessage(), e);
      }
    }
    super.start();
  }

  @Override
  public synchronized void stop() throws OperatorException {
    informers.values().forEach(SharedIndexInformer::stop);
    informers.clear();
    super.stop();
  }

  /** Not a source of secondary resources in JOSDK's sense: the observers query it directly. */
  @Override
  public Set<R> getSecondaryResources(DatabaseMigration primary) {
    return Set.of();
  }

  /** Pruned objects whose index {@code index} has {@code key}, over every namespace's informer. */
  List<R> byIndex(String index, String key) {
    Collection<SharedIndexInformer<R>> all = informers.values();
    if (all.size() == 1) {
      return all.iterator().next().getIndexer().byIndex(index, key);
    }
    return all.stream().flatMap(i -> i.getIndexer().byIndex(index, key).stream()).toList();
  }

  /** Pruned objects of namespace {@code ns}. */
  Stream<R> inNamespace(String ns) {
    return informers.values().stream()
        .flatMap(i -> i.getIndexer().byIndex(Cache.NAMESPACE_INDEX, ns).stream());
  }

  /** The pruned object {@code ns/name}, or null. */
  R get(String ns, String name) {
    String key = ns + "/" + name;
    for (SharedIndexInformer<R> i : informers.values()) {
      R r = i.getIndexer().getByKey(key);
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  @Override
  public void onAdd(R obj) {
    emit(obj);
  }

  @Override
  public void onUpdate(R oldObj, R newObj) {
    // oldObj is the cached (pruned) copy; a change in a field the cache does not keep is no event
    if (!sameContent(oldObj, newObj, prune)) {
      emit(newObj);
    }
  }

  @Override
  public void onDelete(R obj, boolean deletedFinalStateUnknown) {
    emit(obj);
  }

  private void emit(R obj) {
    if (!isRunning() && getEventHandler() == null) {
      return;
    }
    for (ResourceID id : toPrimaries.apply(obj)) {
      getEventHandler().handleEvent(new Event(id));
    }
  }

  /**
   * Whether {@code a} and {@code b} pruned are equal but for the resourceVersion (which changes
   * with every write). Compares new copies: the cached object is never modified.
   */
  static <R extends HasMetadata> boolean sameContent(R a, R b, UnaryOperator<R> prune) {
    if (a == null || b == null) {
      return a == b;
    }
    R pa = prune.apply(a);
    R pb = prune.apply(b);
    pa.getMetadata().setResourceVersion(null);
    pb.getMetadata().setResourceVersion(null);
    return Objects.equals(pa, pb);
  }

  /** An item store that keeps {@code prune}'s copy of each object. */
  static final class PrunedStore<R extends HasMetadata> implements ItemStore<R> {
    private final Map<String, R> items = new ConcurrentHashMap<>();
    private final UnaryOperator<R> prune;

    PrunedStore(UnaryOperator<R> prune) {
      this.prune = prune;
    }

    @Override
    public String getKey(R obj) {
      return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public R put(String key, R obj) {
      return items.put(key, prune.apply(obj));
    }

    @Override
    public R remove(String key) {
      return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
      return items.keySet().stream();
    }

    @Override
    public Stream<R> values() {
      return items.values().stream();
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public R get(String key) {
      return items.get(key);
    }
  }
}
