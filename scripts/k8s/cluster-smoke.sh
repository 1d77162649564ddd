#!/usr/bin/env bash
# Proves the test cluster works end to end and leaves nothing behind: in a fresh namespace, cluster up;
# a restricted-Pod-Security StatefulSet (busybox httpd, uid 65532, read-only root) with a bound PVC;
# its Service reached by ClusterIP and DNS name from the namespace's shell and from another pod;
# kubectl logs and exec; cluster down. Then compares the host's iptables, nftables, mounts, links and
# processes with before. Needs busybox-static. Usage: cluster-smoke.sh [RUN_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

if [ "${1:-}" = "--inside" ]; then
  RUN_DIR=$2
  source "$here/cluster/cluster-env.sh"
  require_namespace
  "$here/cluster-up.sh" "$RUN_DIR"
  export KUBECONFIG="$RUN_DIR/kubeconfig"
  trap '"$here/cluster-down.sh" "$RUN_DIR"' EXIT

  rootfs="$RUN_DIR/smoke-rootfs"
  mkdir -p "$rootfs/bin" "$rootfs/www" "$rootfs/data" "$rootfs/tmp"
  cp "$(command -v busybox)" "$rootfs/bin/busybox"
  echo "hello from conexus-k8s" >"$rootfs/www/index.html"
  "$CLUSTER_DIR/oci-image.sh" "$RUN_DIR/images/smoke.tar" localhost/conexus-k8s/smoke:1 "$rootfs" 65532:65532 /bin/busybox
  "$here/import-images.sh" "$RUN_DIR" "$RUN_DIR/images/smoke.tar"

  step=$(now)
  kubectl create namespace smoke
  kubectl label namespace smoke pod-security.kubernetes.io/enforce=restricted pod-security.kubernetes.io/enforce-version=latest
  kubectl apply -f "$here/cluster/smoke.yaml"
  kubectl -n smoke rollout status statefulset/web --timeout=120s
  log "StatefulSet ready in $(since "$step")s"
  kubectl -n smoke get pvc,pv -o wide
  [ "$(kubectl -n smoke get pvc data-web-0 -o jsonpath='{.status.phase}')" = Bound ]

  cluster_ip=$(kubectl -n smoke get service web -o jsonpath='{.spec.clusterIP}')
  expect_page() {
    local body
    body=$(curl -sSf --max-time 5 "$1") || return 1
    [ "$body" = "hello from conexus-k8s" ] || die "$1 answered '$body'"
  }
  expect_page "http://$cluster_ip:8080/"
  log "ClusterIP $cluster_ip answers from the namespace's shell"
  expect_page http://web.smoke.svc.cluster.local:8080/
  log "web.smoke.svc.cluster.local answers from the namespace's shell"
  log "exec: $(kubectl -n smoke exec web-0 -- /bin/busybox sh -c 'id; cat /data/written')"
  # why: a pod without the restricted settings must be refused (PodSecurity admission is on).
  if kubectl -n smoke run unrestricted --image=localhost/conexus-k8s/smoke:1 --restart=Never \
    --image-pull-policy=Never 2>"$RUN_DIR/logs/smoke-refused.log"; then
    die "a pod without restricted settings was admitted in a restricted namespace"
  fi
  grep -q 'violates PodSecurity "restricted' "$RUN_DIR/logs/smoke-refused.log"
  log "unrestricted pod refused: $(head -c 200 "$RUN_DIR/logs/smoke-refused.log")"
  kubectl -n smoke apply -f "$here/cluster/smoke-client.yaml"
  kubectl -n smoke wait --for=jsonpath='{.status.phase}'=Succeeded pod/client --timeout=60s
  log "from another pod by DNS name: $(kubectl -n smoke logs client)"
  step=$(now)
  kubectl delete namespace smoke --timeout=60s
  log "namespace deleted in $(since "$step")s"
  exit 0
fi

RUN_DIR=$(mkdir -p "${1:-/tmp/conexus-k8s-smoke}" && cd "${1:-/tmp/conexus-k8s-smoke}" && pwd)
# The host state this run could change. why: other work on the host (podman builds, other tests) changes
# iptables, links, mounts and processes meanwhile, so only what names this cluster's addresses,
# interfaces, paths or run dir counts.
names="KUBE-|conexus-k8s|10\\.96\\.|10\\.201\\.|cni0|node0|$RUN_DIR|/proc/sys|resolv\\.conf|/run/containerd|/var/lib/cni|kubelet|/var/log/pods|/var/log/containers"
ours="^(sysctl|cgroup|path): |^process: .*$RUN_DIR|^(iptables|ip6tables|nft|link|mount): .*($names)"
snapshot() {
  {
    iptables-save | sed 's/^/iptables: /'
    ip6tables-save | sed 's/^/ip6tables: /'
    nft list ruleset 2>/dev/null | sed 's/^/nft: /'
    ip -o link show | awk -F': ' '{ print "link: " $2 }'
    awk '{ print "mount: " $5 " " $4 }' /proc/self/mountinfo
    ps -eo args | grep -v -e grep -e cluster-smoke | sed 's/^/process: /'
    find /sys/fs/cgroup -maxdepth 2 -name 'conexus-k8s*' | sed 's/^/cgroup: /'
    find /run/containerd /var/lib/cni /var/lib/kubelet /var/log/pods /var/log/containers \
      /usr/libexec/kubernetes /etc/kubernetes /var/run/kubernetes 2>/dev/null | grep -v podman | sed 's/^/path: /'
    for sysctl in kernel/panic kernel/panic_on_oops vm/overcommit_memory vm/panic_on_oom kernel/keys/root_maxkeys kernel/keys/root_maxbytes net/netfilter/nf_conntrack_max net/ipv4/ip_forward; do
      echo "sysctl: $sysctl=$(cat /proc/sys/$sysctl 2>/dev/null)"
    done
  } | grep -E "$ours"
}
before=$(snapshot)
started=$(date +%s.%N)
bash "$here/in-namespace.sh" bash "$0" --inside "$RUN_DIR"
after=$(snapshot)
echo "[cluster-smoke] passed in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')s"
if [ "$before" != "$after" ]; then
  diff <(echo "$before") <(echo "$after") >&2 || true
  echo "[cluster-smoke] error: the host changed" >&2
  exit 1
fi
echo "[cluster-smoke] host unchanged: iptables, ip6tables, nftables, links, mounts, processes, cgroups, sysctls ($(echo "$before" | grep -c .) lines compared)"
