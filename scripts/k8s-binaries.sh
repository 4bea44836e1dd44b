#!/usr/bin/env bash
# Provides kube-apiserver, kube-controller-manager, etcd (and kubectl when available) for the
# operator test tier, in the layout io.fabric8:kube-api-test expects in offline mode:
#   $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{kube-apiserver,kube-controller-manager,etcd,kubectl}
#
# Order of preference:
#   1. DBGUARD_K8S_BIN_DIR: a directory that already holds the binaries (copied/linked, no build);
#   2. the cache ~/.cache/dbguard/k8s/<debian-source-version>/ from an earlier build;
#   3. a build from Debian's `kubernetes` source package (bookworm: 1.20.5+really1.20.2) with
#      the reflect2 v1.0.2 patch (see docs/testing.md). Cold build: ~5 min on 2 cores.
#
# Prints the KUBE_API_TEST_DIR to use on its last line of stdout. Fails with a clear message
# on a machine that is not Debian (no apt-get) and has no prebuilt binaries.
set -euo pipefail

K8S_VERSION="${DBGUARD_K8S_VERSION:-1.20.2}"
# Cache key: Kubernetes version + recipe revision (bump RECIPE when the build steps change).
RECIPE=r1
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/dbguard/k8s"
CACHE_DIR="$CACHE_ROOT/${K8S_VERSION}-debian-${RECIPE}"
TEST_DIR="${KUBE_API_TEST_DIR:-$CACHE_ROOT/kube-api-test}"
LAYOUT_DIR="$TEST_DIR/k8s/${K8S_VERSION}-linux-amd64"

log() { echo "[k8s-binaries] $*" >&2; }
die() { echo "[k8s-binaries] ERROR: $*" >&2; exit 1; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

link_layout() {
  local src="$1"
  mkdir -p "$LAYOUT_DIR"
  for b in kube-apiserver kube-controller-manager etcd kubectl; do
    if [ -x "$src/$b" ]; then ln -sf "$src/$b" "$LAYOUT_DIR/$b"; fi
  done
  for b in kube-apiserver kube-controller-manager etcd; do
    [ -x "$LAYOUT_DIR/$b" ] || die "$b missing from $src"
  done
  log "binaries ready in $LAYOUT_DIR"
  echo "$TEST_DIR"
}

ensure_etcd() {
  local dest="$1"
  if ! command -v etcd >/dev/null 2>&1 && [ ! -x /usr/bin/etcd ]; then
    command -v apt-get >/dev/null || die "etcd not found and no apt-get: install etcd 3.4+ or set DBGUARD_K8S_BIN_DIR"
    as_root apt-get install -y -q etcd-server >&2
  fi
  ln -sf "$(command -v etcd || echo /usr/bin/etcd)" "$dest/etcd"
  if command -v kubectl >/dev/null 2>&1; then ln -sf "$(command -v kubectl)" "$dest/kubectl"; fi
}

# 1. Binaries supplied by the caller.
if [ -n "${DBGUARD_K8S_BIN_DIR:-}" ]; then
  [ -d "$DBGUARD_K8S_BIN_DIR" ] || die "DBGUARD_K8S_BIN_DIR=$DBGUARD_K8S_BIN_DIR is not a directory"
  [ -x "$DBGUARD_K8S_BIN_DIR/etcd" ] || ensure_etcd "$DBGUARD_K8S_BIN_DIR"
  link_layout "$DBGUARD_K8S_BIN_DIR"
  exit 0
fi

# 2. Cache hit.
if [ -x "$CACHE_DIR/kube-apiserver" ] && [ -x "$CACHE_DIR/kube-controller-manager" ]; then
  ensure_etcd "$CACHE_DIR"
  log "cache hit: $CACHE_DIR"
  link_layout "$CACHE_DIR"
  exit 0
fi

# 3. Build from Debian's source package.
command -v apt-get >/dev/null 2>&1 || die "no prebuilt binaries (set DBGUARD_K8S_BIN_DIR) and this is not a Debian machine with apt-get; see docs/testing.md"
log "building kube-apiserver and kube-controller-manager $K8S_VERSION from Debian's source package; ~5 min on 2 cores"
if ! grep -rqs "deb-src" /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null && \
   ! grep -rqs "Types: deb-src" /etc/apt/sources.list.d/ 2>/dev/null; then
  as_root tee /etc/apt/sources.list.d/dbguard-deb-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  as_root apt-get update -q >&2
fi
as_root apt-get install -y -q golang-go rsync make golang-github-modern-go-reflect2-dev etcd-server dpkg-dev >&2

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dbguard-k8s-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
DEB_SRC_VERSION="$(apt-cache showsrc kubernetes | awk '/^Version:/{print $2; exit}')"
case "$DEB_SRC_VERSION" in
  *"really${K8S_VERSION}"*|"${K8S_VERSION}"*) ;;
  *) die "Debian's kubernetes source package is '$DEB_SRC_VERSION', expected Kubernetes $K8S_VERSION (Debian bookworm)";;
esac
( cd "$WORK" && apt-get source -q --download-only "kubernetes=$DEB_SRC_VERSION" >&2 && dpkg-source -x --no-check ./*.dsc src >&2 )
SRC_DIR="$WORK/src"
[ -d "$SRC_DIR" ] || die "apt-get source kubernetes=$DEB_SRC_VERSION did not produce a source tree"

# The required patch: vendored reflect2 v1.0.1 crashes under Go >= 1.18; use Debian's v1.0.2.
R2_SRC=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -d "$R2_SRC" ] || die "$R2_SRC missing (package golang-github-modern-go-reflect2-dev)"
rm -rf "$SRC_DIR/vendor/github.com/modern-go/reflect2"
mkdir -p "$SRC_DIR/vendor/github.com/modern-go/reflect2"
cp -r "$R2_SRC"/. "$SRC_DIR/vendor/github.com/modern-go/reflect2/"
rm -f "$SRC_DIR/vendor/github.com/modern-go/reflect2/go.mod" "$SRC_DIR"/vendor/github.com/modern-go/reflect2/*_test.go
for f in "$SRC_DIR/go.mod" "$SRC_DIR"/staging/src/k8s.io/*/go.mod "$SRC_DIR/vendor/modules.txt"; do
  sed -i 's#\(github.com/modern-go/reflect2[^\n]*\)v1\.0\.1#\1v1.0.2#g' "$f"
done

cd "$SRC_DIR"
mkdir -p .go/src/k8s.io && ln -s ../../.. .go/src/k8s.io/kubernetes
export GOPATH="$SRC_DIR/.go" CGO_ENABLED=0 GOFLAGS=-mod=vendor GO111MODULE=on
cd .go/src/k8s.io/kubernetes
make WHAT=cmd/kube-apiserver >&2
make WHAT=cmd/kube-controller-manager >&2

mkdir -p "$CACHE_DIR"
cp _output/bin/kube-apiserver _output/bin/kube-controller-manager "$CACHE_DIR/"
echo "$DEB_SRC_VERSION" > "$CACHE_DIR/DEBIAN_SOURCE_VERSION"
ensure_etcd "$CACHE_DIR"
log "built and cached in $CACHE_DIR"
link_layout "$CACHE_DIR"
