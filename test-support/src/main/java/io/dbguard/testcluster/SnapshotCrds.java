package io.dbguard.testcluster;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Minimal structural CRDs for {@code snapshot.storage.k8s.io/v1} (VolumeSnapshot,
 * VolumeSnapshotContent, VolumeSnapshotClass), written for this rig from the API types of the
 * Kubernetes CSI external-snapshotter ({@code client/apis/volumesnapshot/v1/types.go}). They
 * declare the fields dbguard and the stand-in controller use, with their types, required fields,
 * the status subresource, short names and the main printer columns; everything else is preserved as
 * unknown fields. The CEL rules of the real CRDs ("exactly one source", immutability) are absent:
 * Kubernetes 1.20 ignores CEL anyway.
 */
public final class SnapshotCrds {
  /** API group of the snapshot CRDs. */
  public static final String GROUP = "snapshot.storage.k8s.io";

  private SnapshotCrds() {}

  /** The three CRDs, ready to create. */
  public static List<CustomResourceDefinition> all() {
    return List.of(volumeSnapshot(), volumeSnapshotContent(), volumeSnapshotClass());
  }

  static CustomResourceDefinition volumeSnapshot() {
    JSONSchemaProps source =
        obj(
            props(
                "persistentVolumeClaimName", str(),
                "volumeSnapshotContentName", str()));
    JSONSchemaProps spec = obj(props("source", source, "volumeSnapshotClassName", str()), "source");
    JSONSchemaProps status =
        obj(
            props(
                "boundVolumeSnapshotContentName", str(),
                "creationTime", dateTime(),
                "readyToUse", bool(),
                "restoreSize", quantity(),
                "error", error(),
                "volumeGroupSnapshotName", str()));
    return crd(
        "VolumeSnapshot",
        "volumesnapshots",
        "volumesnapshot",
        "Namespaced",
        List.of("vs"),
        obj(props("spec", spec, "status", status), "spec"),
        List.of(
            col("ReadyToUse", "boolean", ".status.readyToUse"),
            col("SourcePVC", "string", ".spec.source.persistentVolumeClaimName"),
            col("SourceSnapshotContent", "string", ".spec.source.volumeSnapshotContentName"),
            col("RestoreSize", "string", ".status.restoreSize"),
            col("SnapshotClass", "string", ".spec.volumeSnapshotClassName"),
            col("SnapshotContent", "string", ".status.boundVolumeSnapshotContentName"),
            col("CreationTime", "date", ".status.creationTime"),
            col("Age", "date", ".metadata.creationTimestamp")));
  }

  static CustomResourceDefinition volumeSnapshotContent() {
    JSONSchemaProps ref =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withProperties(
                props(
                    "apiVersion", str(),
                    "kind", str(),
                    "name", str(),
                    "namespace", str(),
                    "resourceVersion", str(),
                    "uid", str(),
                    "fieldPath", str()))
            .build();
    JSONSchemaProps source = obj(props("volumeHandle", str(), "snapshotHandle", str()));
    JSONSchemaProps spec =
        obj(
            props(
                "volumeSnapshotRef", ref,
                "deletionPolicy", enumOf("Delete", "Retain"),
                "driver", str(),
                "volumeSnapshotClassName", str(),
                "source", source,
                "sourceVolumeMode", str()),
            "volumeSnapshotRef",
            "deletionPolicy",
            "driver",
            "source");
    JSONSchemaProps status =
        obj(
            props(
                "snapshotHandle", str(),
                "creationTime", int64(),
                "restoreSize", int64(),
                "readyToUse", bool(),
                "error", error(),
                "volumeGroupSnapshotHandle", str()));
    return crd(
        "VolumeSnapshotContent",
        "volumesnapshotcontents",
        "volumesnapshotcontent",
        "Cluster",
        List.of("vsc", "vscs"),
        obj(props("spec", spec, "status", status), "spec"),
        List.of(
            col("ReadyToUse", "boolean", ".status.readyToUse"),
            col("RestoreSize", "integer", ".status.restoreSize"),
            col("DeletionPolicy", "string", ".spec.deletionPolicy"),
            col("Driver", "string", ".spec.driver"),
            col("VolumeSnapshotClass", "string", ".spec.volumeSnapshotClassName"),
            col("VolumeSnapshot", "string", ".spec.volumeSnapshotRef.name"),
            col("VolumeSnapshotNamespace", "string", ".spec.volumeSnapshotRef.namespace"),
            col("Age", "date", ".metadata.creationTimestamp")));
  }

  static CustomResourceDefinition volumeSnapshotClass() {
    JSONSchemaProps parameters =
        new JSONSchemaPropsBuilder()
            .withType("object")
            .withNewAdditionalProperties()
            .withSchema(str())
            .endAdditionalProperties()
            .build();
    JSONSchemaProps schema =
        obj(
            props(
                "driver", str(),
                "parameters", parameters,
                "deletionPolicy", enumOf("Delete", "Retain")),
            "driver",
            "deletionPolicy");
    CustomResourceDefinition crd =
        crd(
            "VolumeSnapshotClass",
            "volumesnapshotclasses",
            "volumesnapshotclass",
            "Cluster",
            List.of("vsclass", "vsclasses"),
            schema,
            List.of(
                col("Driver", "string", ".driver"),
                col("DeletionPolicy", "string", ".deletionPolicy"),
                col("Age", "date", ".metadata.creationTimestamp")));
    crd.getSpec().getVersions().get(0).setSubresources(null);
    return crd;
  }

  private static CustomResourceDefinition crd(
      String kind,
      String plural,
      String singular,
      String scope,
      List<String> shortNames,
      JSONSchemaProps schema,
      List<CustomResourceColumnDefinition> columns) {
    // apiVersion/kind/metadata are implicit in structural schemas but allowed to be listed.
    schema.getProperties().put("apiVersion", str());
    schema.getProperties().put("kind", str());
    schema.getProperties().put("metadata", new JSONSchemaPropsBuilder().withType("object").build());
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(plural + "." + GROUP)
        .addToLabels("app.kubernetes.io/managed-by", "dbguard-test-support")
        // *.k8s.io groups need this annotation; "unapproved, …" is the honest value for a stand-in.
        .addToAnnotations(
            "api-approved.kubernetes.io",
            "unapproved, test stand-in for the external-snapshotter CRDs (dbguard-test-support)")
        .endMetadata()
        .withNewSpec()
        .withGroup(GROUP)
        .withScope(scope)
        .withNewNames()
        .withKind(kind)
        .withListKind(kind + "List")
        .withPlural(plural)
        .withSingular(singular)
        .withShortNames(shortNames)
        .endNames()
        .addNewVersion()
        .withName("v1")
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withOpenAPIV3Schema(schema)
        .endSchema()
        .withNewSubresources()
        .withNewStatus()
        .endStatus()
        .endSubresources()
        .withAdditionalPrinterColumns(columns)
        .endVersion()
        .endSpec()
        .build();
  }

  private static Map<String, JSONSchemaProps> props(Object... kv) {
    Map<String, JSONSchemaProps> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], (JSONSchemaProps) kv[i + 1]);
    }
    return m;
  }

  private static JSONSchemaProps obj(Map<String, JSONSchemaProps> props, String... required) {
    return new JSONSchemaPropsBuilder()
        .withType("object")
        .withProperties(props)
        .withRequired(List.of(required))
        .build();
  }

  private static JSONSchemaProps str() {
    return new JSONSchemaPropsBuilder().withType("string").build();
  }

  private static JSONSchemaProps bool() {
    return new JSONSchemaPropsBuilder().withType("boolean").build();
  }

  private static JSONSchemaProps int64() {
    return new JSONSchemaPropsBuilder().withType("integer").withFormat("int64").build();
  }

  private static JSONSchemaProps dateTime() {
    return new JSONSchemaPropsBuilder().withType("string").withFormat("date-time").build();
  }

  private static JSONSchemaProps quantity() {
    return new JSONSchemaPropsBuilder().withXKubernetesIntOrString(true).build();
  }

  private static JSONSchemaProps enumOf(String... values) {
    JSONSchemaPropsBuilder b = new JSONSchemaPropsBuilder().withType("string");
    for (String v : values) {
      b.addToEnum(com.fasterxml.jackson.databind.node.TextNode.valueOf(v));
    }
    return b.build();
  }

  private static JSONSchemaProps error() {
    return obj(props("message", str(), "time", dateTime()));
  }

  private static CustomResourceColumnDefinition col(String name, String type, String path) {
    return new io.fabric8.kubernetes.api.model.apiextensions.v1
            .CustomResourceColumnDefinitionBuilder()
        .withName(name)
        .withType(type)
        .withJsonPath(path)
        .build();
  }
}
