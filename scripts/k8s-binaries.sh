#!/usr/bin/env bash
# Provides kube-apiserver, kube-controller-manager, etcd and kubectl for the operator test tier,
# in the layout io.fabric8:kube-api-test expects in offline mode:
#   $KUBE_API_TEST_DIR/k8s/<version>-linux-amd64/{kube-apiserver,kube-controller-manager,etcd,kubectl}
#
# Order of preference:
#   1. DBGUARD_K8S_BIN_DIR: a directory that already holds the binaries (linked, no build);
#      etcd and kubectl are taken from the system when that directory lacks them;
#   2. the cache ~/.cache/dbguard/k8s/<version>-debian-<recipe>/ from an earlier build (seconds);
#   3. a build from Debian's `kubernetes` source package (bookworm: 1.20.5+really1.20.2) with
#      the reflect2 v1.0.2 patch (see docs/testing.md). Cold build: ~5-15 min on 2 cores.
# etcd comes from Debian's etcd-server package; kubectl (1.20, version-matched) is extracted from
# Debian's kubernetes-client package into the cache without installing it, falling back to a
# kubectl on PATH.
#
# Prints the KUBE_API_TEST_DIR to use on the last line of stdout; progress goes to stderr.
# Fails with a clear message on a machine that is not Debian (no apt-get) and has no prebuilt
# binaries. Machines with internet access can skip this script: unset KUBE_API_TEST_OFFLINE_MODE
# and kube-api-test downloads official binaries (docs/testing.md).
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

have_apt() { command -v apt-get >/dev/null 2>&1; }

link_layout() {
  local src="$1"
  mkdir -p "$LAYOUT_DIR"
  for b in kube-apiserver kube-controller-manager etcd kubectl; do
    if [ -x "$src/$b" ]; then ln -sfn "$src/$b" "$LAYOUT_DIR/$b"; fi
  done
  for b in kube-apiserver kube-controller-manager etcd kubectl; do
    [ -x "$LAYOUT_DIR/$b" ] || die "$b missing from $src"
  done
  log "binaries ready in $LAYOUT_DIR"
  echo "$TEST_DIR"
}

# etcd 3.4+ from the system (Debian: etcd-server), linked into $1.
ensure_etcd() {
  local dest="$1"
  [ -x "$dest/etcd" ] && return 0
  if ! command -v etcd >/dev/null 2>&1 && [ ! -x /usr/bin/etcd ]; then
    have_apt || die "etcd not found and no apt-get: install etcd 3.4+ or put it into DBGUARD_K8S_BIN_DIR"
    log "installing etcd-server"
    as_root apt-get update -q >&2 || true
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >&2
  fi
  ln -sfn "$(command -v etcd || echo /usr/bin/etcd)" "$dest/etcd"
}

# kubectl in $1: Debian's kubernetes-client (same Kubernetes version), extracted without
# installing it (the system may already have another kubectl); else the kubectl on PATH.
ensure_kubectl() {
  local dest="$1"
  [ -f "$dest/kubectl" ] && [ ! -L "$dest/kubectl" ] && return 0
  if have_apt; then
    local tmp
    tmp="$(mktemp -d "${TMPDIR:-/tmp}/dbguard-kubectl.XXXXXX")"
    chmod 755 "$tmp"
    if (cd "$tmp" && apt-get download -q kubernetes-client >/dev/null 2>&1) \
      && dpkg-deb -x "$tmp"/kubernetes-client_*.deb "$tmp/x" \
      && [ -x "$tmp/x/usr/bin/kubectl" ]; then
      cp "$tmp/x/usr/bin/kubectl" "$dest/.kubectl.part"
      mv -f "$dest/.kubectl.part" "$dest/kubectl"
      rm -rf "$tmp"
      log "kubectl from Debian's kubernetes-client in $dest"
      return 0
    fi
    rm -rf "$tmp"
  fi
  if [ -e "$dest/kubectl" ]; then
    return 0
  fi
  command -v kubectl >/dev/null 2>&1 || die "no kubectl: install Debian's kubernetes-client or put kubectl into DBGUARD_K8S_BIN_DIR"
  ln -sfn "$(command -v kubectl)" "$dest/kubectl"
  log "kubectl from PATH ($(command -v kubectl))"
}

# 1. Binaries supplied by the caller.
if [ -n "${DBGUARD_K8S_BIN_DIR:-}" ]; then
  [ -d "$DBGUARD_K8S_BIN_DIR" ] || die "DBGUARD_K8S_BIN_DIR=$DBGUARD_K8S_BIN_DIR is not a directory"
  for b in kube-apiserver kube-controller-manager; do
    [ -x "$DBGUARD_K8S_BIN_DIR/$b" ] || die "DBGUARD_K8S_BIN_DIR=$DBGUARD_K8S_BIN_DIR has no executable $b"
  done
  ensure_etcd "$DBGUARD_K8S_BIN_DIR"
  if [ ! -x "$DBGUARD_K8S_BIN_DIR/kubectl" ]; then
    command -v kubectl >/dev/null 2>&1 || die "no kubectl in DBGUARD_K8S_BIN_DIR or on PATH"
    ln -sfn "$(command -v kubectl)" "$DBGUARD_K8S_BIN_DIR/kubectl"
  fi
  link_layout "$DBGUARD_K8S_BIN_DIR"
  exit 0
fi

# 2. Cache hit.
if [ -x "$CACHE_DIR/kube-apiserver" ] && [ -x "$CACHE_DIR/kube-controller-manager" ]; then
  ensure_etcd "$CACHE_DIR"
  ensure_kubectl "$CACHE_DIR"
  log "cache hit: $CACHE_DIR ($(cat "$CACHE_DIR/DEBIAN_SOURCE_VERSION" 2>/dev/null || echo prebuilt))"
  link_layout "$CACHE_DIR"
  exit 0
fi

# 3. Build from Debian's source package.
have_apt || die "no prebuilt Kubernetes $K8S_VERSION binaries in $CACHE_DIR and this is not a Debian machine (no apt-get). Either set DBGUARD_K8S_BIN_DIR to a directory with kube-apiserver and kube-controller-manager $K8S_VERSION (plus etcd and kubectl), or, with internet access, run the tests without KUBE_API_TEST_OFFLINE_MODE so kube-api-test downloads official binaries. See docs/testing.md."
[ -r /etc/os-release ] && . /etc/os-release
if [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
  log "WARNING: the recipe is tested on Debian bookworm; this is ${PRETTY_NAME:-unknown}"
fi
log "building kube-apiserver and kube-controller-manager $K8S_VERSION from Debian's source package; ~5-15 min on 2 cores"
if ! grep -rqs "^deb-src" /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null && \
   ! grep -rqs "Types:.*deb-src" /etc/apt/sources.list.d/ 2>/dev/null; then
  as_root tee /etc/apt/sources.list.d/dbguard-deb-src.sources >/dev/null <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
# Fresh package lists: a new machine may have none or stale ones.
as_root apt-get update -q >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q golang-go rsync make golang-github-modern-go-reflect2-dev etcd-server dpkg-dev >&2

WORK="$(mktemp -d "${TMPDIR:-/tmp}/dbguard-k8s-build.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
DEB_SRC_VERSION="$(apt-cache showsrc kubernetes | awk '/^Version:/{print $2; exit}')"
case "$DEB_SRC_VERSION" in
  *"really${K8S_VERSION}"*|"${K8S_VERSION}"*) ;;
  *) die "Debian's kubernetes source package is '$DEB_SRC_VERSION', expected Kubernetes $K8S_VERSION (Debian bookworm)";;
esac
chmod 755 "$WORK"
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
grep -q 'modern-go/reflect2 v1.0.2' "$SRC_DIR/vendor/modules.txt" || die "reflect2 patch did not apply to vendor/modules.txt"

cd "$SRC_DIR"
mkdir -p .go/src/k8s.io && ln -s ../../.. .go/src/k8s.io/kubernetes
export GOPATH="$SRC_DIR/.go" CGO_ENABLED=0 GOFLAGS=-mod=vendor GO111MODULE=on
cd .go/src/k8s.io/kubernetes
make WHAT=cmd/kube-apiserver >&2
make WHAT=cmd/kube-controller-manager >&2
_output/bin/kube-apiserver --version >&2 || die "the built kube-apiserver does not run"

mkdir -p "$CACHE_DIR"
cp _output/bin/kube-apiserver _output/bin/kube-controller-manager "$CACHE_DIR/"
echo "$DEB_SRC_VERSION" > "$CACHE_DIR/DEBIAN_SOURCE_VERSION"
ensure_etcd "$CACHE_DIR"
ensure_kubectl "$CACHE_DIR"
log "built and cached in $CACHE_DIR"
link_layout "$CACHE_DIR"
