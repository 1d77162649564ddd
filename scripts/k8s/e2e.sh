#!/usr/bin/env bash
# `npm run e2e:k8s`: installs the deployment toolchain, builds the images at two tags (the install and the
# upgrade), then, inside a private network/mount/PID namespace, starts a real single-node cluster, imports the
# images, runs the jest project `k8s` (e2e/k8s) and tears the cluster down. Prints the phases' times.
# CONEXUS_K8S_SUITE=terraform (npm run test:terraform) runs the jest project `terraform` instead, on one tag.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
started=$(date +%s)
export CONEXUS_K8S_SUITE="${CONEXUS_K8S_SUITE:-k8s}"
log() { echo "[$CONEXUS_K8S_SUITE] $*" >&2; }
phase() { log "$1: $(($(date +%s) - $2)) s"; }

TOOLS_BIN=$(bash scripts/k8s/install-tools.sh all | tail -1)
phase "toolchain ready" "$started"

VERSION=$(node -p "require('./package.json').version")
export CONEXUS_IMAGE_TAG="${CONEXUS_IMAGE_TAG:-$VERSION}"
if [ "$CONEXUS_K8S_SUITE" = k8s ]; then
  export CONEXUS_UPGRADE_TAG="${CONEXUS_UPGRADE_TAG:-$CONEXUS_IMAGE_TAG-next}"
else
  export CONEXUS_UPGRADE_TAG="$CONEXUS_IMAGE_TAG"
fi
IMAGES_DIR="${CONEXUS_IMAGES_DIR:-$HOME/.cache/conexus/images}"
images_started=$(date +%s)
bash scripts/images/build-images.sh
[ "$CONEXUS_UPGRADE_TAG" = "$CONEXUS_IMAGE_TAG" ] || CONEXUS_IMAGE_TAG="$CONEXUS_UPGRADE_TAG" bash scripts/images/build-images.sh
phase "images built" "$images_started"

archives=("$IMAGES_DIR"/nats-*.tar)
for service in gateway query policy indexer controller; do
  archives+=("$IMAGES_DIR/$service-$CONEXUS_IMAGE_TAG.tar")
  [ "$CONEXUS_UPGRADE_TAG" = "$CONEXUS_IMAGE_TAG" ] || archives+=("$IMAGES_DIR/$service-$CONEXUS_UPGRADE_TAG.tar")
done

export CONEXUS_K8S_RUN_DIR="${CONEXUS_K8S_RUN_DIR:-$(mktemp -d /tmp/conexus-k8s-run.XXXXXX)}"
export CONEXUS_TOOLS_BIN="$TOOLS_BIN"
log "cluster run dir: $CONEXUS_K8S_RUN_DIR (logs under logs/)"
status=0
bash scripts/k8s/in-namespace.sh bash scripts/k8s/e2e-in-namespace.sh "${archives[@]}" || status=$?
phase "finished with status $status" "$started"
exit "$status"
