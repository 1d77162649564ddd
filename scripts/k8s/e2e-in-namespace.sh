#!/usr/bin/env bash
# The part of e2e.sh that runs inside in-namespace.sh: cluster up, images imported, the jest project named by
# CONEXUS_K8S_SUITE (k8s or terraform), cluster down (also when a step fails). Usage: e2e-in-namespace.sh
# ARCHIVE...; needs CONEXUS_K8S_RUN_DIR, CONEXUS_TOOLS_BIN, CONEXUS_IMAGE_TAG and CONEXUS_UPGRADE_TAG from e2e.sh.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
RUN_DIR="$CONEXUS_K8S_RUN_DIR"
SUITE="${CONEXUS_K8S_SUITE:-k8s}"
log() { echo "[$SUITE] $*" >&2; }

trap 'bash scripts/k8s/cluster-down.sh "$RUN_DIR" || log "cluster-down failed"' EXIT
step=$(date +%s)
bash scripts/k8s/cluster-up.sh "$RUN_DIR"
log "cluster up: $(($(date +%s) - step)) s"
step=$(date +%s)
bash scripts/k8s/import-images.sh "$RUN_DIR" "$@"
log "images imported: $(($(date +%s) - step)) s"

source scripts/k8s/cluster/cluster-env.sh
read -r -a CONEXUS_K8S_JEST_ARGS <<<"${CONEXUS_K8S_JEST_ARGS:-}"
export KUBECONFIG="$RUN_DIR/kubeconfig"
export CONEXUS_K8S_HOST_IP="$BRIDGE_GATEWAY_IP"
export CONEXUS_K8S_NODE_IP="$NODE_IP"
export PATH="$CONEXUS_TOOLS_BIN:$PATH"
step=$(date +%s)
status=0
node --experimental-vm-modules node_modules/jest/bin/jest.js --selectProjects "$SUITE" --runInBand --testTimeout 600000 \
  "${CONEXUS_K8S_JEST_ARGS[@]}" || status=$?
log "tests: $(($(date +%s) - step)) s"
# why: a failed run can be inspected before the cluster goes (nsenter -t <pid of catatonit> -n -m -p).
[ -z "${CONEXUS_K8S_KEEP_SECONDS:-}" ] || sleep "$CONEXUS_K8S_KEEP_SECONDS"
exit "$status"
