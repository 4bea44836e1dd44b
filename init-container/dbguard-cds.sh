#!/bin/sh
# Makes an AppCDS archive for dbguard.jar (Java 17: a dynamic archive written at exit), so the JVM
# maps the classes the rollout gate needs instead of loading and verifying them on every pod start.
# The training run is a gate against an address where nothing listens: it loads the CLI, the
# Kubernetes client, its configuration and the JDK HTTP client, fails to connect, and exits.
# Usage: dbguard-cds.sh JAR ARCHIVE   (the image build runs it; the wrapper uses the archive when
# it is present and was made by the same JVM, and silently runs without it otherwise.)
set -eu
JAR="$1"
ARCHIVE="$2"
KCFG="$(mktemp)"
cat > "$KCFG" <<'CFG'
apiVersion: v1
kind: Config
clusters:
- name: training
  cluster:
    server: https://127.0.0.1:1
contexts:
- name: training
  context:
    cluster: training
    user: training
    namespace: training
current-context: training
users:
- name: training
  user:
    token: training
CFG
KUBECONFIG="$KCFG" java -XX:ArchiveClassesAtExit="$ARCHIVE" -Dkubernetes.request.retry.backoffLimit=0 -jar "$JAR" \
  gate --migration training --image training --namespace training --timeout 1 >/dev/null 2>&1 || true
rm -f "$KCFG"
[ -s "$ARCHIVE" ] || { echo "dbguard-cds.sh: no archive written to $ARCHIVE" >&2; exit 1; }
echo "dbguard-cds.sh: AppCDS archive $ARCHIVE ($(wc -c < "$ARCHIVE") bytes)" >&2
