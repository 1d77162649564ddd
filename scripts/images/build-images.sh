#!/usr/bin/env bash
# Builds the service images (gateway, query, policy, indexer, controller) from the repository's Dockerfile with podman and
# no registry access, tags them localhost/conexus/<service>:<tag>, and saves each (plus the bundled NATS image)
# as an OCI archive in $CONEXUS_IMAGES_DIR for `ctr -n k8s.io images import`. Idempotent: unchanged layers come
# from podman's cache and an archive is rewritten only when its image changed.
#   scripts/images/build-images.sh              tag = package.json version, or $CONEXUS_IMAGE_TAG
#   CONEXUS_IMAGE_TAG=0.1.1 scripts/images/build-images.sh
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/scripts/images"
TAG="${CONEXUS_IMAGE_TAG:-$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$ROOT/package.json")}"
IMAGES_DIR="${CONEXUS_IMAGES_DIR:-$HOME/.cache/conexus/images}"
CA_BUNDLE="${CONEXUS_CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}"
SERVICES=(gateway query policy indexer controller)
NATS_IMAGE=docker.io/library/nats:2.12.4

log() { echo "[images] $*" >&2; }

# Writes the podman settings this kind of machine needs (runc: crun refuses hybrid cgroups; cgroupfs and a
# file event log: no systemd; ulimits within the hard limits: no CAP_SYS_RESOURCE), only where none are set.
configure_podman() {
  local conf=/etc/containers/containers.conf
  [ "$(id -u)" = 0 ] || return 0
  if [ -f "$conf" ] && grep -q '^runtime' "$conf" && grep -q '^cgroup_manager' "$conf" &&
    grep -q '^events_logger' "$conf" && grep -q '^default_ulimits' "$conf"; then
    return 0
  fi
  local nofile nproc target=$conf
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  [ "$nproc" = unlimited ] || [ "$nproc" -gt 32768 ] && nproc=32768
  # why: an existing containers.conf is someone else's; ours then goes in a drop-in beside it.
  if [ -f "$conf" ]; then target=/etc/containers/containers.conf.d/50-conexus.conf && mkdir -p "${target%/*}"; fi
  cat >"$target" <<EOF
# Written by conexus scripts/images/build-images.sh for machines without systemd and with hybrid cgroups.
[containers]
default_ulimits = ["nofile=$nofile:$nofile", "nproc=$nproc:$nproc"]

[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
EOF
  log "wrote $target"
}

# Copies the working tree (tracked and untracked, not ignored) into $1 with its timestamps.
# why: all five targets then build from one source even while files change, and share the build stage's cache.
snapshot_context() {
  local context=$1
  if ! git -C "$ROOT" rev-parse --git-dir >/dev/null 2>&1; then
    cp -a "$ROOT/." "$context/"
    return
  fi
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
    while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
    tar --null -T - -cf -) | tar -xf - -C "$context"
}

build_service() {
  local service=$1 npmrc=$2 context=$3
  local image="localhost/conexus/$service:$TAG"
  # why: the registry proxy's CA reaches npm only as build secrets; it is never in a layer.
  podman build --pull=never --target "$service" \
    --secret "id=build-ca,src=$CA_BUNDLE" --secret "id=npmrc,src=$npmrc" \
    --build-arg "VERSION=$TAG" --build-arg "REVISION=$REVISION" --build-arg "CREATED=$CREATED" \
    --build-arg "SOURCE=$SOURCE" -t "$image" -f "$context/Dockerfile" "$context" >&2
}

# Saves IMAGE as NAME.tar (the image keeps its full name inside the archive); skipped when unchanged.
save_archive() {
  local image=$1 name=$2
  local archive="$IMAGES_DIR/$name.tar" id
  id=$(podman image inspect --format '{{.Id}}' "$image")
  if [ -s "$archive" ] && [ "$(cat "$archive.id" 2>/dev/null)" = "$id" ]; then return 0; fi
  rm -f "$archive" "$archive.id"
  skopeo copy -q "containers-storage:$image" "oci-archive:$archive.tmp:$image"
  mv "$archive.tmp" "$archive"
  echo "$id" >"$archive.id"
}

report() {
  local image=$1 archive=$2
  printf '%-40s %8s MB  archive %6s MB  %s\n' "$image" \
    "$(($(podman image inspect --format '{{.Size}}' "$image") / 1000000))" \
    "$(($(stat -c %s "$archive") / 1000000))" "$archive"
}

main() {
  configure_podman
  "$HERE/build-stand-in-bases.sh"
  mkdir -p "$IMAGES_DIR"
  REVISION=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  CREATED=$(git -C "$ROOT" log -1 --format=%cI 2>/dev/null || echo 1970-01-01T00:00:00Z)
  SOURCE=$(git -C "$ROOT" remote get-url origin 2>/dev/null || true)
  NPMRC=$(mktemp)
  CONTEXT=$(mktemp -d)
  # why: globals, not locals: the EXIT trap runs after main has returned.
  trap 'rm -rf "$NPMRC" "$CONTEXT"' EXIT
  echo "cafile=/run/secrets/build-ca.crt" >"$NPMRC"
  snapshot_context "$CONTEXT"
  for service in "${SERVICES[@]}"; do
    log "building $service"
    build_service "$service" "$NPMRC" "$CONTEXT"
    save_archive "localhost/conexus/$service:$TAG" "$service-$TAG"
  done
  save_archive "$NATS_IMAGE" "nats-${NATS_IMAGE##*:}"
  for service in "${SERVICES[@]}"; do
    report "localhost/conexus/$service:$TAG" "$IMAGES_DIR/$service-$TAG.tar"
  done
  report "$NATS_IMAGE" "$IMAGES_DIR/nats-${NATS_IMAGE##*:}.tar"
}

main "$@"
