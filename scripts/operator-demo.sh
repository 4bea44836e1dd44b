#!/usr/bin/env bash
# The operator demo on a fresh Debian machine with Java 17: the embedded control plane
# (etcd, kube-apiserver, kube-controller-manager and the local node of test-support), the chart
# installed with Helm, and a SQLite shop walked through a good release, a broken one (rolled back,
# data identical, the gate holding the rollout) and its fix, printed as `kubectl get dbmig` rows.
#
# Set-up, each step skipped when already done:
#   1. the sqlite3 CLI (Debian package; the shop image's seed runs it);
#   2. kube-apiserver, kube-controller-manager, etcd and kubectl (scripts/k8s-binaries.sh: built
#      from Debian's kubernetes source package on first use, ~8 min on 2 cores, then cached in
#      ~/.cache/dbguard/k8s);
#   3. the jars (./mvnw package of operator-demo and the modules it runs: the operator and dbguard
#      jars play the images), unless all three are newer than every source file.
# Then runs operator-demo/target/dbguard-operator-demo.jar; extra arguments go to it:
#   --stage-timeout SECONDS (default 300), --keep (keep the run directory), --result-json FILE.
# Exit 0 when every stage reached its expected outcome, 1 with the reason otherwise. Ctrl-C stops
# every process and deletes the run directory.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"
T0=$SECONDS

step() { echo "==> $*"; }

if ! command -v java >/dev/null 2>&1; then
  echo "Java 17 or newer is needed (Debian: apt-get install openjdk-17-jdk-headless)" >&2
  exit 1
fi
JAVA_MAJOR="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')"
if [ "${JAVA_MAJOR%%.*}" -lt 17 ] 2>/dev/null; then
  echo "Java 17 or newer is needed; found $JAVA_MAJOR" >&2
  exit 1
fi

if ! command -v sqlite3 >/dev/null 2>&1; then
  step "installing sqlite3 (Debian package)"
  if [ "$(id -u)" = 0 ]; then AS_ROOT=""; else AS_ROOT="sudo"; fi
  $AS_ROOT apt-get update -q >&2 || true
  $AS_ROOT env DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlite3 >&2
fi

t=$SECONDS
step "control-plane binaries (scripts/k8s-binaries.sh; the first run builds them, ~8 min on 2 cores)"
KUBE_API_TEST_DIR="$(bash scripts/k8s-binaries.sh | tail -n 1)"
export KUBE_API_TEST_DIR KUBE_API_TEST_OFFLINE_MODE=true KUBE_API_TEST_API_SERVER_VERSION=1.20.2
echo "    ready in $((SECONDS - t)) s"

t=$SECONDS
JARS=(operator/target/dbguard-operator.jar init-container/target/dbguard.jar
      operator-demo/target/dbguard-operator-demo.jar)
STALE=""
for j in "${JARS[@]}"; do
  if [ ! -f "$j" ] || [ -n "$(find pom.xml core init-container test-support operator operator-demo \
      -newer "$j" -type f -not -path '*/target/*' -print -quit)" ]; then
    STALE="$j"
    break
  fi
done
if [ -n "$STALE" ]; then
  step "building the jars (./mvnw -q -B -ntp -pl operator-demo -am package -DskipTests)"
  # (logback's start-up status lines of the CRD generator that the operator's build runs are noise)
  ./mvnw -q -B -ntp -pl operator-demo -am package -DskipTests -Dspotless.check.skip=true 2>&1 \
    | { grep -v -e ' |-' -e '^$' || true; }
  echo "    built in $((SECONDS - t)) s"
else
  step "the jars are newer than every source file: not rebuilt"
fi
echo "    set-up took $((SECONDS - T0)) s"

exec java -jar "$ROOT/operator-demo/target/dbguard-operator-demo.jar" "$@"
