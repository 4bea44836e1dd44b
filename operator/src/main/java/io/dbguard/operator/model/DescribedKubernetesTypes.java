package io.dbguard.operator.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;

/**
 * Schema-only twins of the Kubernetes types embedded in the CRDs ({@code EnvVar}, {@code
 * EnvFromSource}, {@code ResourceRequirements}, {@code Condition}), with the same JSON shape as the
 * fabric8 model classes plus a description on every field, so that {@code kubectl explain} shows
 * something for each of them. Used only through {@link SchemaFrom} on the model fields; the
 * operator itself still reads and writes the fabric8 types. The wording follows the Kubernetes API
 * reference (kubernetes.io, "Container" and "Condition" in meta/v1).
 */
public final class DescribedKubernetesTypes {

  private DescribedKubernetesTypes() {}

  /** Twin of {@code io.fabric8.kubernetes.api.model.EnvVar}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EnvVar {
    @JsonPropertyDescription("Name of the environment variable.")
    public String name;

    @JsonPropertyDescription(
        "Literal value; $(VAR_NAME) references to earlier variables are expanded. Ignored when valueFrom is set.")
    public String value;

    @JsonPropertyDescription(
        "Source of the value (ConfigMap key, Secret key, pod field or resource).")
    public EnvVarSource valueFrom;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.EnvVarSource}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EnvVarSource {
    @JsonPropertyDescription("A key of a ConfigMap in the migration's namespace.")
    public KeySelector configMapKeyRef;

    @JsonPropertyDescription(
        "A field of the pod: metadata.name, metadata.namespace, metadata.labels['<KEY>'], spec.nodeName, status.podIP, ...")
    public FieldSelector fieldRef;

    @JsonPropertyDescription(
        "A resource limit or request of a container (limits.cpu, requests.memory, ...).")
    public ResourceFieldSelector resourceFieldRef;

    @JsonPropertyDescription("A key of a Secret in the migration's namespace.")
    public KeySelector secretKeyRef;
  }

  /** Twin of {@code ConfigMapKeySelector} and {@code SecretKeySelector}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KeySelector {
    @JsonPropertyDescription("The key to select.")
    public String key;

    @JsonPropertyDescription("Name of the ConfigMap or Secret.")
    public String name;

    @JsonPropertyDescription("True: the container starts even when the object or key is missing.")
    public Boolean optional;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.ObjectFieldSelector}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class FieldSelector {
    @JsonPropertyDescription("Schema version of fieldPath; defaults to v1.")
    public String apiVersion;

    @JsonPropertyDescription("Path of the pod field to select.")
    public String fieldPath;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.ResourceFieldSelector}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceFieldSelector {
    @JsonPropertyDescription("Container name; defaults to the container that reads the variable.")
    public String containerName;

    @JsonPropertyDescription("Unit the value is divided by (e.g. 1Mi); defaults to 1.")
    public Quantity divisor;

    @JsonPropertyDescription(
        "The resource: limits.cpu, limits.memory, requests.cpu, requests.memory, ...")
    public String resource;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.EnvFromSource}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class EnvFromSource {
    @JsonPropertyDescription("Every key of this ConfigMap becomes an environment variable.")
    public NamedSource configMapRef;

    @JsonPropertyDescription("Prefix added to every variable name taken from the source.")
    public String prefix;

    @JsonPropertyDescription("Every key of this Secret becomes an environment variable.")
    public NamedSource secretRef;
  }

  /** Twin of {@code ConfigMapEnvSource} and {@code SecretEnvSource}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class NamedSource {
    @JsonPropertyDescription("Name of the ConfigMap or Secret.")
    public String name;

    @JsonPropertyDescription("True: the container starts even when the object is missing.")
    public Boolean optional;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.ResourceRequirements}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceRequirements {
    @JsonPropertyDescription(
        "Dynamic resource claims (DynamicResourceAllocation) of the pod used by this container.")
    public List<ResourceClaim> claims;

    @JsonPropertyDescription("Maximum amount of each resource, e.g. {memory: 1Gi}.")
    public Map<String, Quantity> limits;

    @JsonPropertyDescription(
        "Minimum amount of each resource, e.g. {cpu: 500m, memory: 512Mi}; defaults to limits when omitted.")
    public Map<String, Quantity> requests;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.ResourceClaim}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class ResourceClaim {
    @JsonPropertyDescription("Name of an entry in the pod's resourceClaims.")
    public String name;

    @JsonPropertyDescription("Name of one request in that claim; empty means the whole claim.")
    public String request;
  }

  /** Twin of {@code io.fabric8.kubernetes.api.model.Condition} (meta/v1 Condition). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class Condition {
    @JsonPropertyDescription("When status last changed (RFC 3339, UTC).")
    public String lastTransitionTime;

    @JsonPropertyDescription("Human-readable detail of the transition; may be empty.")
    public String message;

    @JsonPropertyDescription("metadata.generation the condition was computed from.")
    public Long observedGeneration;

    @JsonPropertyDescription("CamelCase reason of the last transition.")
    public String reason;

    @JsonPropertyDescription("True, False or Unknown.")
    public String status;

    @JsonPropertyDescription(
        "Condition type: Ready, Reconciling, Stalled, BackupVerified, Migrated, RolloutAllowed, RolledBack.")
    public String type;
  }
}
