#!/usr/bin/env bash
# Stops the test cluster started by cluster-up.sh RUN_DIR and removes what it left in the namespace:
# containers (through containerd), processes, mounts, interfaces, iptables rules, cgroups. Safe to run
# on a cluster that only partly started, and twice. RUN_DIR itself (logs, data) is kept for inspection.
# Usage: cluster-down.sh RUN_DIR
set -euo pipefail
[ $# -eq 1 ] || {
  echo "usage: $0 RUN_DIR" >&2
  exit 2
}
[ -d "$1" ] || exit 0
RUN_DIR=$(cd "$1" && pwd)
source "$(dirname "$0")/cluster/cluster-env.sh"
require_namespace
started=$(now)

# Controllers first, so nothing recreates what is being removed; then the kubelet.
for daemon in coredns kube-proxy kube-scheduler kube-controller-manager kubelet; do
  stop_daemon "$daemon" 5
done

# why: containers are killed through containerd (not by pid) so it also removes their shims, rootfs
# mounts and runc state; pod network namespaces go with the unmounts below.
if pid_of containerd >/dev/null; then
  for container in $(ctr_ containers list --quiet 2>/dev/null); do
    ctr_ tasks kill --signal SIGKILL "$container" >/dev/null 2>&1 || true
  done
  for container in $(ctr_ containers list --quiet 2>/dev/null); do
    for _ in 1 2 3 4 5 6 7 8 9 10; do
      ctr_ tasks delete --force "$container" >/dev/null 2>&1 && break
      ctr_ tasks list --quiet 2>/dev/null | grep -qx "$container" || break
      sleep 0.2
    done
    ctr_ containers delete "$container" >/dev/null 2>&1 || true
  done
fi
for daemon in containerd kube-apiserver etcd; do
  stop_daemon "$daemon" 10
done

# A shim that outlived containerd (it serves one container of this run's containerd).
for proc in /proc/[0-9]*; do
  cmdline=$(tr '\0' ' ' <"$proc/cmdline" 2>/dev/null) || continue
  case "$cmdline" in
  *containerd-shim*"$RUN_DIR/containerd/containerd.sock"*) kill -KILL "${proc#/proc/}" 2>/dev/null || true ;;
  esac
done

if [ -x "$TOOLS_BIN/kube-proxy" ]; then
  "$TOOLS_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true
fi
for table in nat filter mangle raw; do
  iptables -t "$table" -F 2>/dev/null || true
  iptables -t "$table" -X 2>/dev/null || true
  ip6tables -t "$table" -F 2>/dev/null || true
  ip6tables -t "$table" -X 2>/dev/null || true
done

# Mounts: everything under the run dir (deepest first), the sysctl files and resolv.conf bound over.
mounts() {
  awk -v run="$RUN_DIR" '{ gsub(/\\040/, " ", $5) } $5 == run || index($5, run "/") == 1 || index($4, run "/") == 1 { print $5 }' /proc/self/mountinfo
}
for _ in 1 2 3; do
  mounted=$(mounts | sort -r | uniq)
  [ -n "$mounted" ] || break
  while read -r target; do umount -l "$target" 2>/dev/null || true; done <<<"$mounted"
done

ip link delete cni0 2>/dev/null || true
ip link delete node0 2>/dev/null || true
for link in $(ip -o link show type veth 2>/dev/null | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
  ip link delete "$link" 2>/dev/null || true
done
find /var/lib/cni /run/containerd -mindepth 1 -delete 2>/dev/null || true

for _ in 1 2 3 4 5; do
  left=0
  for hierarchy in /sys/fs/cgroup/*/; do
    [ -d "$hierarchy${CGROUP_ROOT#/}" ] || continue
    find "$hierarchy${CGROUP_ROOT#/}" -depth -type d -exec rmdir {} + 2>/dev/null || left=1
  done
  [ "$left" -eq 1 ] || break
  sleep 0.2
done
log "down in $(since "$started")s"
