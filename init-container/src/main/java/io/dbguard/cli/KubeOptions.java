package io.dbguard.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * kubectl's connection options, taken by every {@code dbguard kubectl} command: {@code
 * --kubeconfig}, {@code --context}, {@code -n/--namespace}, and {@code -o/--output}.
 */
final class KubeOptions {
  /** Output formats. */
  enum Output {
    text,
    json
  }

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description = "Kubeconfig file (default: KUBECONFIG, else ~/.kube/config, else in-cluster).")
  Path kubeconfig;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description = "Kubeconfig context (default: the current context).")
  String context;

  @Option(
      names = {"-n", "--namespace"},
      paramLabel = "NS",
      description = "Namespace (default: the context's, else default).")
  String namespace;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "text|json",
      description = "Output format: text (default) or json.")
  Output output = Output.text;

  /** Connects with these options ({@link KubectlApi#connect}). */
  KubectlApi connect() {
    return KubectlApi.connect(kubeconfig, context, namespace);
  }

  boolean json() {
    return output == Output.json;
  }
}
