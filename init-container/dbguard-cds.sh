#!/bin/sh
# Makes an AppCDS archive for dbguard.jar (Java 17: a dynamic archive written at exit), so the JVM
# maps the classes the rollout gate needs instead of loading and verifying them on every pod start.
# The training run is one whole gate (io.dbguard.cli.GateTraining): against a local HTTPS server
# with a throw-away self-signed certificate (made with keytool), it reads a kubeconfig, connects
# over TLS, GETs a DatabaseMigration that has succeeded, opens and writes its termination message.
# When that training cannot run (no keytool, the server does not start), a shorter one is used: a
# gate against an address where nothing listens, which loads the CLI, the configuration and the
# HTTP client but no TLS handshake or JSON reading.
# Usage: dbguard-cds.sh JAR ARCHIVE   (the image build runs it; the wrapper uses the archive when
# it is present and was made by the same JVM, and silently runs without it otherwise.)
set -eu
JAR="$1"
ARCHIVE="$2"
DIR="$(mktemp -d)"
trained=
if keytool -genkeypair -keystore "$DIR/training.p12" -storetype PKCS12 -storepass training \
     -alias training -keyalg RSA -keysize 2048 -validity 1 -dname CN=training \
     -ext san=ip:127.0.0.1 >/dev/null 2>&1 \
   && java -XX:ArchiveClassesAtExit="$ARCHIVE" -cp "$JAR" io.dbguard.cli.GateTraining "$DIR" \
     >/dev/null 2>&1; then
  trained="a gate over TLS"
else
  rm -f "$ARCHIVE"
  cat > "$DIR/kubeconfig" <<'CFG'
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
  KUBECONFIG="$DIR/kubeconfig" java -XX:ArchiveClassesAtExit="$ARCHIVE" \
    -Dkubernetes.request.retry.backoffLimit=0 -jar "$JAR" \
    gate --migration training --image training --namespace training --timeout 1 >/dev/null 2>&1 || true
  trained="a gate without a server (keytool or the training server failed)"
fi
rm -rf "$DIR"
[ -s "$ARCHIVE" ] || { echo "dbguard-cds.sh: no archive written to $ARCHIVE" >&2; exit 1; }
echo "dbguard-cds.sh: AppCDS archive $ARCHIVE ($(wc -c < "$ARCHIVE") bytes), trained on $trained" >&2
