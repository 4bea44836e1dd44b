package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Resolves a container's environment for the local node, as the kubelet does. */
final class ContainerEnv {
  private final KubernetesClient client;
  private final Pod pod;
  private final String namespace;

  ContainerEnv(KubernetesClient client, Pod pod) {
    this.client = client;
    this.pod = pod;
    this.namespace = pod.getMetadata().getNamespace();
  }

  /**
   * The container's {@code envFrom} and {@code env}, resolved against {@code base} for {@code
   * $(VAR)} references.
   *
   * @throws MissingReference when a Secret, ConfigMap or key it needs does not exist (yet)
   */
  Map<String, String> resolve(Container c, Map<String, String> base) {
    Map<String, String> out = new LinkedHashMap<>();
    for (EnvFromSource from : ContainerPaths.nullToEmpty(c.getEnvFrom())) {
      String prefix = from.getPrefix() == null ? "" : from.getPrefix();
      if (from.getSecretRef() != null) {
        Secret s =
            client.secrets().inNamespace(namespace).withName(from.getSecretRef().getName()).get();
        if (s == null) {
          if (Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
            continue;
          }
          throw new MissingReference("secret \"" + from.getSecretRef().getName() + "\" not found");
        }
        secretData(s).forEach((k, v) -> out.put(prefix + k, v));
      }
      if (from.getConfigMapRef() != null) {
        ConfigMap cm =
            client
                .configMaps()
                .inNamespace(namespace)
                .withName(from.getConfigMapRef().getName())
                .get();
        if (cm == null) {
          if (Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
            continue;
          }
          throw new MissingReference(
              "configmap \"" + from.getConfigMapRef().getName() + "\" not found");
        }
        if (cm.getData() != null) {
          cm.getData().forEach((k, v) -> out.put(prefix + k, v));
        }
      }
    }
    for (EnvVar e : ContainerPaths.nullToEmpty(c.getEnv())) {
      Map<String, String> scope = new LinkedHashMap<>(base);
      scope.putAll(out);
      String value;
      if (e.getValueFrom() != null) {
        value = valueFrom(e.getValueFrom(), c);
        if (value == null) {
          continue;
        }
      } else {
        value = ContainerPaths.expand(e.getValue() == null ? "" : e.getValue(), scope);
      }
      out.put(e.getName(), value);
    }
    return out;
  }

  private String valueFrom(EnvVarSource src, Container c) {
    if (src.getSecretKeyRef() != null) {
      var ref = src.getSecretKeyRef();
      Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
      String v = s == null ? null : secretData(s).get(ref.getKey());
      if (v == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new MissingReference(
            s == null
                ? "secret \"" + ref.getName() + "\" not found"
                : "couldn't find key "
                    + ref.getKey()
                    + " in Secret "
                    + namespace
                    + "/"
                    + ref.getName());
      }
      return v;
    }
    if (src.getConfigMapKeyRef() != null) {
      var ref = src.getConfigMapKeyRef();
      ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
      String v = cm == null || cm.getData() == null ? null : cm.getData().get(ref.getKey());
      if (v == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new MissingReference(
            cm == null
                ? "configmap \"" + ref.getName() + "\" not found"
                : "couldn't find key "
                    + ref.getKey()
                    + " in ConfigMap "
                    + namespace
                    + "/"
                    + ref.getName());
      }
      return v;
    }
    if (src.getFieldRef() != null) {
      return fieldRef(src.getFieldRef().getFieldPath());
    }
    if (src.getResourceFieldRef() != null) {
      var r = c.getResources();
      String res = src.getResourceFieldRef().getResource();
      Quantity q = null;
      if (r != null && res.startsWith("limits.") && r.getLimits() != null) {
        q = r.getLimits().get(res.substring(7));
      } else if (r != null && res.startsWith("requests.") && r.getRequests() != null) {
        q = r.getRequests().get(res.substring(9));
      }
      return q == null ? "0" : Quantity.getAmountInBytes(q).toBigInteger().toString();
    }
    return null;
  }

  private String fieldRef(String path) {
    var meta = pod.getMetadata();
    Matcher m = Pattern.compile("metadata\\.(labels|annotations)\\['(.*)'\\]").matcher(path);
    if (m.matches()) {
      Map<String, String> map =
          "labels".equals(m.group(1)) ? meta.getLabels() : meta.getAnnotations();
      return map == null ? "" : map.getOrDefault(m.group(2), "");
    }
    return switch (path) {
      case "metadata.name" -> meta.getName();
      case "metadata.namespace" -> meta.getNamespace();
      case "metadata.uid" -> meta.getUid();
      case "spec.nodeName" -> LocalNode.NODE_NAME;
      case "spec.serviceAccountName" ->
          pod.getSpec().getServiceAccountName() == null
              ? "default"
              : pod.getSpec().getServiceAccountName();
      case "status.hostIP", "status.podIP" -> "127.0.0.1";
      default -> throw new MissingReference("unsupported fieldRef " + path);
    };
  }

  private static Map<String, String> secretData(Secret s) {
    Map<String, String> out = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData()
          .forEach(
              (k, v) ->
                  out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    }
    if (s.getStringData() != null) {
      out.putAll(s.getStringData());
    }
    return out;
  }

  /** A reference (Secret, ConfigMap, key) the container needs does not exist (yet). */
  static final class MissingReference extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MissingReference(String message) {
      super(message);
    }
  }
}
