#!/usr/bin/env bash
# Runs a command inside fresh network, mount and PID namespaces, so a test cluster started by it (see
# cluster-up.sh) never touches the host's interfaces, iptables rules or mounts, and every process it
# started dies with the command. Usage: in-namespace.sh COMMAND [ARG...]; exits with COMMAND's status.
#
# Inside: only `lo` (up); /proc shows the namespace's processes; the paths containerd 1.6, the CNI
# plugins and the kubelet hard-code (/run/containerd, /var/lib/cni, /var/lib/kubelet/device-plugins,
# /var/log/pods, /var/log/containers) are private tmpfs mounts (the mount points this creates on the
# host are removed afterwards); CONEXUS_K8S_IN_NAMESPACE=1 is set; CONEXUS_K8S_CGROUP_ROOT names the
# cgroup the cluster's kubelet nests its pods under, removed here after the command ends (cgroups are
# the one thing namespaces do not scope).
set -euo pipefail

HARD_CODED_DIRS=(/run/containerd /var/lib/cni /var/lib/kubelet /var/log/pods /var/log/containers)

if [ "${1:-}" = "--inside" ]; then
  shift
  ip link set lo up
  # why: unshare's --propagation private keeps these mounts (and everything the kubelet and containerd
  # mount later) out of the host's mount table, even on hosts whose / is shared.
  for dir in "${HARD_CODED_DIRS[@]}"; do
    mount -t tmpfs -o mode=0700 tmpfs "$dir"
  done
  # why: catatonit as PID 1 reaps the orphans (containerd shims, exec sessions) and forwards signals;
  # when it exits the kernel kills everything left in the PID namespace.
  export CONEXUS_K8S_IN_NAMESPACE=1
  exec catatonit -- "$@"
fi

[ $# -gt 0 ] || {
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
}

cgroup_root="/conexus-k8s-$$"
export CONEXUS_K8S_CGROUP_ROOT="$cgroup_root"
# The mount points must exist on the host; those made here are removed again at exit.
made_dirs=()
for dir in "${HARD_CODED_DIRS[@]}"; do
  [ -d "$dir" ] || made_dirs+=("$dir")
done
mkdir -p "${HARD_CODED_DIRS[@]}"

clean_up() {
  local hierarchy dir
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -d "$hierarchy$cgroup_root" ] || continue
    # why: rmdir deepest first; a cgroup can be removed only once it has no children and no tasks,
    # which holds here because the PID namespace (and so every task in it) is gone.
    find "$hierarchy$cgroup_root" -depth -type d -exec rmdir {} + 2>/dev/null || true
  done
  for dir in "${made_dirs[@]}"; do
    rmdir "$dir" 2>/dev/null || true
  done
}
trap clean_up EXIT

status=0
unshare --net --mount --pid --fork --kill-child --mount-proc --propagation private \
  bash "$0" --inside "$@" || status=$?
exit "$status"
