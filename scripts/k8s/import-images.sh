#!/usr/bin/env bash
# Imports image archives (OCI or docker-archive tars, e.g. from `skopeo copy ... oci-archive:`) into the
# containerd of the test cluster started by cluster-up.sh RUN_DIR, where its kubelet finds them.
# Run inside in-namespace.sh, like the cluster. Usage: import-images.sh RUN_DIR ARCHIVE...
set -euo pipefail
[ $# -ge 2 ] || {
  echo "usage: $0 RUN_DIR ARCHIVE..." >&2
  exit 2
}
RUN_DIR=$(cd "$1" && pwd)
shift
source "$(dirname "$0")/cluster/cluster-env.sh"
require_namespace
pid_of containerd >/dev/null || die "no containerd runs for $RUN_DIR; run cluster-up.sh first"
for archive in "$@"; do
  started=$(now)
  ctr_ images import "$archive" | sed 's/^/  /' >&2
  log "imported $archive in $(since "$started")s"
done
