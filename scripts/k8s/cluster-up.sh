#!/usr/bin/env bash
# Starts a single-node Kubernetes cluster (etcd, kube-apiserver, controller-manager, scheduler, containerd,
# kubelet, kube-proxy, coredns, bridge CNI) in the background, inside the namespace made by
# in-namespace.sh, and returns once the node is Ready and cluster DNS answers. Logs go to RUN_DIR/logs,
# the admin kubeconfig to RUN_DIR/kubeconfig. Stop it with cluster-down.sh RUN_DIR.
# Usage: cluster-up.sh RUN_DIR
set -euo pipefail
[ $# -eq 1 ] || {
  echo "usage: $0 RUN_DIR" >&2
  exit 2
}
RUN_DIR=$(mkdir -p "$1" && cd "$1" && pwd)
source "$(dirname "$0")/cluster/cluster-env.sh"
require_namespace
started=$(now)

for tool in etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns; do
  [ -x "$TOOLS_BIN/$tool" ] || die "$TOOLS_BIN/$tool is missing; run scripts/k8s/install-tools.sh"
done
for tool in containerd runc ctr catatonit iptables kubectl; do
  command -v "$tool" >/dev/null || die "$tool is missing; run scripts/k8s/install-tools.sh"
done

# why: RUN_DIR is wiped, so it must be empty or one this script made (never a directory someone passed by mistake).
if [ -n "$(ls -A "$RUN_DIR")" ]; then
  [ -f "$RUN_DIR/.conexus-k8s-run" ] || die "$RUN_DIR is not empty and not a cluster run dir"
  for daemon in "${DAEMONS[@]}"; do
    ! pid_of "$daemon" >/dev/null || die "$daemon of an earlier cluster still runs; run cluster-down.sh $RUN_DIR"
  done
  "$(dirname "$0")/cluster-down.sh" "$RUN_DIR" >/dev/null 2>&1
  find "$RUN_DIR" -mindepth 1 -delete
fi
touch "$RUN_DIR/.conexus-k8s-run"
mkdir -p "$RUN_DIR"/{logs,pids,config,etcd,kubelet,images,cni/net.d,cni/ipam,sysctl,pause-rootfs}

render() {
  sed -e "s#@RUN_DIR@#$RUN_DIR#g; s#@NODE_IP@#$NODE_IP#g; s#@NODE_NAME@#$NODE_NAME#g; s#@DNS_IP@#$DNS_IP#g" \
    -e "s#@CGROUP_ROOT@#$CGROUP_ROOT#g; s#@PAUSE_IMAGE@#$PAUSE_IMAGE#g; s#@CNI_BIN_DIR@#$CNI_BIN_DIR#g" "$@"
}
for template in containerd.toml kubelet.yaml kube-proxy.yaml Corefile bootstrap.yaml; do
  render "$CLUSTER_DIR/$template" >"$RUN_DIR/config/$template"
done
render "$CLUSTER_DIR/cni-bridge.conflist" >"$RUN_DIR/cni/net.d/10-conexus-bridge.conflist"
"$CLUSTER_DIR/pki.sh" "$RUN_DIR" "$NODE_NAME" "$NODE_IP" "$API_SERVICE_IP"
pki="$RUN_DIR/pki"

# The node's own address (kubectl logs/exec reach the kubelet there) on one end of a veth pair (this
# kernel has no dummy interfaces), and the pod bridge, made now so its gateway address exists before the
# first pod (and for processes that listen on it).
ip link show node0 >/dev/null 2>&1 || ip link add node0 type veth peer name node0-peer
ip addr replace "$NODE_IP/24" dev node0
ip link set node0-peer up
ip link set node0 up
ip link show cni0 >/dev/null 2>&1 || ip link add cni0 type bridge
ip addr replace "$BRIDGE_GATEWAY_IP/16" dev cni0
ip link set cni0 up
# why: the namespace has no default route; without one for the Service range a local connection to a
# ClusterIP fails before kube-proxy's OUTPUT rules can rewrite it.
ip route replace "$SERVICE_CIDR" dev node0 src "$NODE_IP"
echo 1 >/proc/sys/net/ipv4/ip_forward

# why: the kubelet rewrites these kernel sysctls (host-wide, not namespaced); plain files bound over
# them in this mount namespace take the writes instead.
for sysctl in kernel/panic kernel/panic_on_oops vm/overcommit_memory vm/panic_on_oom kernel/keys/root_maxkeys kernel/keys/root_maxbytes; do
  copy="$RUN_DIR/sysctl/${sysctl//\//.}"
  cat "/proc/sys/$sysctl" >"$copy"
  mount --bind "$copy" "/proc/sys/$sysctl"
done
# why: secret and token volumes the kubelet mounts under its root only reach containers through a shared mount.
mount --bind "$RUN_DIR/kubelet" "$RUN_DIR/kubelet"
mount --make-rshared "$RUN_DIR/kubelet"
# The namespace's own processes (tests) resolve cluster names; it has no route to the host's resolver anyway.
printf 'search svc.cluster.local cluster.local\nnameserver %s\noptions ndots:5 timeout:1 attempts:3\n' "$DNS_IP" >"$RUN_DIR/resolv.conf"
mount --bind "$RUN_DIR/resolv.conf" /etc/resolv.conf

# The pods' cgroup parent; the kubelet requires it to exist in every hierarchy.
for hierarchy in /sys/fs/cgroup/*/; do
  mkdir -p "$hierarchy${CGROUP_ROOT#/}"
  if [ -f "$hierarchy/cpuset.cpus" ]; then
    cat "$hierarchy/cpuset.cpus" >"$hierarchy${CGROUP_ROOT#/}/cpuset.cpus"
    cat "$hierarchy/cpuset.mems" >"$hierarchy${CGROUP_ROOT#/}/cpuset.mems"
  fi
done

for n in $(seq 1 "$PERSISTENT_VOLUMES"); do
  mkdir -p "$RUN_DIR/volumes/pv-$n"
  chown 65532:65532 "$RUN_DIR/volumes/pv-$n"
  sed -e "s#@NAME@#conexus-k8s-pv-$n#; s#@PATH@#$RUN_DIR/volumes/pv-$n#" "$CLUSTER_DIR/persistent-volume.yaml" | render
done >"$RUN_DIR/config/persistent-volumes.yaml"
log "prepared in $(since "$started")s"

# --- etcd and containerd start together; the apiserver needs etcd, the kubelet containerd.
start_daemon etcd "$TOOLS_BIN/etcd" --name default --data-dir "$RUN_DIR/etcd" \
  --listen-client-urls http://127.0.0.1:2379 --advertise-client-urls http://127.0.0.1:2379 \
  --listen-peer-urls http://127.0.0.1:2380 --initial-advertise-peer-urls http://127.0.0.1:2380 \
  --initial-cluster default=http://127.0.0.1:2380 --unsafe-no-fsync --log-level warn
start_daemon containerd containerd --config "$RUN_DIR/config/containerd.toml"
wait_for etcd 30 curl -sf http://127.0.0.1:2379/health
log "etcd ready at $(since "$started")s"

start_daemon kube-apiserver "$TOOLS_BIN/kube-apiserver" --etcd-servers=http://127.0.0.1:2379 \
  --bind-address=0.0.0.0 --secure-port=6443 --advertise-address="$NODE_IP" --cert-dir="$RUN_DIR/apiserver" \
  --tls-cert-file="$pki/apiserver.crt" --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
  --token-auth-file="$pki/tokens.csv" --authorization-mode=Node,RBAC --enable-admission-plugins=NodeRestriction \
  --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
  --service-account-issuer=https://kubernetes.default.svc.cluster.local \
  --service-cluster-ip-range="$SERVICE_CIDR" --kubelet-preferred-address-types=InternalIP \
  --kubelet-client-certificate="$pki/kubelet-client.crt" --kubelet-client-key="$pki/kubelet-client.key" \
  --allow-privileged=true --profiling=false --v=1

# The pause image, built from catatonit while the apiserver starts.
cp "$(command -v catatonit)" "$RUN_DIR/pause-rootfs/catatonit"
"$CLUSTER_DIR/oci-image.sh" "$RUN_DIR/images/pause.tar" "$PAUSE_IMAGE" "$RUN_DIR/pause-rootfs" 65535:65535 /catatonit -P
wait_for containerd 30 ctr_ version
ctr_ images import "$RUN_DIR/images/pause.tar" >/dev/null
log "containerd ready at $(since "$started")s"

admin_token=$(awk -F, '$2 == "admin" { print $1 }' "$pki/tokens.csv")
wait_for kube-apiserver 60 curl -sf --cacert "$pki/ca.crt" -H "Authorization: Bearer $admin_token" https://127.0.0.1:6443/readyz
log "kube-apiserver ready at $(since "$started")s"

# --- everything else talks to the apiserver and starts at once.
start_daemon kube-controller-manager "$TOOLS_BIN/kube-controller-manager" \
  --kubeconfig="$pki/controller-manager.kubeconfig" --bind-address=127.0.0.1 --leader-elect=false \
  --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" --use-service-account-credentials=true \
  --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
  --service-cluster-ip-range="$SERVICE_CIDR" --allocate-node-cidrs=false --profiling=false --v=1 \
  --flex-volume-plugin-dir="$RUN_DIR/kube-controller-manager/volume-plugins" # why: the default is made on the host
start_daemon kube-scheduler "$TOOLS_BIN/kube-scheduler" --kubeconfig="$pki/scheduler.kubeconfig" \
  --bind-address=127.0.0.1 --leader-elect=false --profiling=false --v=1
start_daemon kubelet "$TOOLS_BIN/kubelet" --config="$RUN_DIR/config/kubelet.yaml" \
  --kubeconfig="$pki/kubelet.kubeconfig" --root-dir="$RUN_DIR/kubelet" --cert-dir="$RUN_DIR/kubelet/pki" \
  --hostname-override="$NODE_NAME" --node-ip="$NODE_IP" --v=1 \
  --volume-plugin-dir="$RUN_DIR/kubelet/volume-plugins" # why: the flag's default is made on the host otherwise
start_daemon kube-proxy "$TOOLS_BIN/kube-proxy" --config="$RUN_DIR/config/kube-proxy.yaml" --v=1
start_daemon coredns "$TOOLS_BIN/coredns" -conf "$RUN_DIR/config/Corefile"

export KUBECONFIG="$RUN_DIR/kubeconfig"
kubectl apply -f "$RUN_DIR/config/bootstrap.yaml" -f "$RUN_DIR/config/persistent-volumes.yaml" >/dev/null
wait_for kubelet 90 kubectl wait --for=condition=Ready "node/$NODE_NAME" --timeout=2s
log "node Ready at $(since "$started")s"
wait_for kube-controller-manager 60 kubectl get serviceaccount default --namespace default
wait_for coredns 60 curl -sf http://127.0.0.1:18181/ready
# why: this answer needs the whole chain a pod's lookup takes: kube-proxy's rules for the kube-dns
# ClusterIP, coredns, and coredns's view of the Services.
wait_for kube-proxy 60 getent hosts kubernetes.default.svc.cluster.local
log "cluster DNS answers at $(since "$started")s; up in $(since "$started")s (KUBECONFIG=$KUBECONFIG)"
