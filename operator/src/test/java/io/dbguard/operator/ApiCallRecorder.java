package io.dbguard.operator;

import io.dbguard.operator.rbac.OperatorPermissions;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Records every API call an operator client makes, as RBAC grants ({@code group|resource|verb}), so
 * an IT can assert the operator never calls outside {@link OperatorPermissions} (the list the
 * chart's rules are checked against).
 */
final class ApiCallRecorder implements Interceptor {
  private final Set<String> calls = new ConcurrentSkipListSet<>();

  /** Every request since the last {@link #startLog}, as {@code grant path}, in order. */
  private final java.util.Queue<String> log = new java.util.concurrent.ConcurrentLinkedQueue<>();

  /** A client with {@code base}'s configuration (e.g. a ServiceAccount token) that records. */
  KubernetesClient wrap(KubernetesClient base) {
    return new KubernetesClientBuilder()
        .withConfig(base.getConfiguration())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("api-call-recorder", this))
        .build();
  }

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String grant = grant(request.method(), request.uri());
    if (grant != null) {
      calls.add(grant);
      log.add(grant + " " + request.uri().getPath());
    }
  }

  /** Forgets the requests logged so far: {@link #logged} lists those made from now on. */
  void startLog() {
    log.clear();
  }

  /** Requests made since {@link #startLog}, each as {@code group|resource|verb path}. */
  List<String> logged() {
    return List.copyOf(log);
  }

  /** Calls recorded so far. */
  Set<String> calls() {
    return new TreeSet<>(calls);
  }

  /**
   * Granted to every authenticated user by the default ClusterRole {@code system:basic-user}: JOSDK
   * asks which Lease verbs it has before it starts.
   */
  static final Set<String> EVERYONE =
      Set.of(
          "authorization.k8s.io|selfsubjectrulesreviews|create",
          "authorization.k8s.io|selfsubjectaccessreviews|create");

  /** Recorded calls that no entry of {@link OperatorPermissions} grants. */
  Set<String> outsidePermissions() {
    Set<String> allowed =
        Stream.concat(
                Stream.concat(
                    OperatorPermissions.OPERATOR.stream(), OperatorPermissions.CLUSTER.stream()),
                OperatorPermissions.LEADER_ELECTION.stream())
            .map(OperatorPermissions.Permission::grant)
            .collect(Collectors.toSet());
    return calls.stream()
        .filter(c -> !allowed.contains(c) && !EVERYONE.contains(c))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /**
   * {@code group|resource[/subresource]|verb} of a request, or null for non-resource paths
   * (discovery, {@code /version}).
   */
  static String grant(String method, URI uri) {
    List<String> p =
        Stream.of(uri.getPath().split("/")).filter(s -> !s.isEmpty()).collect(Collectors.toList());
    String group;
    int i;
    if (p.size() >= 3 && p.get(0).equals("api")) {
      group = "";
      i = 2;
    } else if (p.size() >= 4 && p.get(0).equals("apis")) {
      group = p.get(1);
      i = 3;
    } else {
      return null;
    }
    if (p.size() > i + 1 && p.get(i).equals("namespaces")) {
      i += 2;
      if (p.size() <= i) {
        return null; // the namespace object itself
      }
    }
    if (p.size() <= i) {
      return null;
    }
    String resource = p.get(i);
    String name = p.size() > i + 1 ? p.get(i + 1) : null;
    if (p.size() > i + 2) {
      resource = resource + "/" + p.get(i + 2);
    }
    String query = uri.getQuery() == null ? "" : uri.getQuery();
    String verb =
        switch (method) {
          case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> name != null ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return group + "|" + resource + "|" + verb;
  }
}
