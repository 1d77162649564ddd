# Sourced by cluster-up.sh, cluster-down.sh and import-images.sh: the test cluster's fixed addresses and
# names, where its binaries are, and the helpers that start, wait for and stop its processes.

# why: the addresses are fixed because the namespace is private to one cluster; tests and the chart's
# e2e values may rely on them (the bridge gateway is where pods reach processes run beside the cluster).
NODE_NAME=conexus-node
NODE_IP=10.201.0.1
BRIDGE_GATEWAY_IP=10.88.0.1
POD_CIDR=10.88.0.0/16
SERVICE_CIDR=10.96.0.0/16
API_SERVICE_IP=10.96.0.1
DNS_IP=10.96.0.10
PERSISTENT_VOLUMES=${CONEXUS_K8S_PERSISTENT_VOLUMES:-12}
CGROUP_ROOT=${CONEXUS_K8S_CGROUP_ROOT:-/conexus-k8s}
TOOLS_BIN=${CONEXUS_TOOLS_BIN:-$HOME/.cache/conexus/tools/bin}
CNI_BIN_DIR=${CONEXUS_CNI_BIN_DIR:-/usr/lib/cni}
PAUSE_IMAGE=localhost/conexus-k8s/pause:catatonit
CLUSTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Daemons in start order; cluster-down.sh stops them in reverse.
DAEMONS=(etcd containerd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy coredns)

log() { echo "[$(basename "$0" .sh)] $*" >&2; }
die() {
  log "error: $*"
  exit 1
}
now() { date +%s.%N; }
# Seconds since $1 (a `now` value), one decimal.
since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

require_namespace() {
  [ "${CONEXUS_K8S_IN_NAMESPACE:-}" = 1 ] || die "run this inside scripts/k8s/in-namespace.sh (it changes the network, mounts and iptables of the namespace it runs in)"
}

ctr_() { ctr --address "$RUN_DIR/containerd/containerd.sock" --namespace k8s.io "$@"; }

pid_of() {
  local file="$RUN_DIR/pids/$1.pid"
  [ -f "$file" ] && kill -0 "$(cat "$file")" 2>/dev/null && cat "$file"
}

# Starts daemon $1 (the remaining words are its command line) in the background, logging to logs/$1.log.
start_daemon() {
  local name=$1
  shift
  "$@" </dev/null >"$RUN_DIR/logs/$name.log" 2>&1 &
  echo $! >"$RUN_DIR/pids/$name.pid"
}

# Polls COMMAND every 0.2 s until it succeeds; fails after TIMEOUT seconds or when DAEMON has exited,
# showing the end of that daemon's log. Usage: wait_for DAEMON TIMEOUT COMMAND...
wait_for() {
  local daemon=$1 timeout=$2
  shift 2
  local deadline
  deadline=$(($(date +%s) + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! pid_of "$daemon" >/dev/null || [ "$(date +%s)" -ge "$deadline" ]; then
      log "$daemon is not ready after ${timeout}s (waited for: $*); end of logs/$daemon.log:"
      tail -n 30 "$RUN_DIR/logs/$daemon.log" >&2 || true
      return 1
    fi
    sleep 0.2
  done
}

# Sends SIGTERM to daemon $1 and waits up to $2 seconds (default 10) before SIGKILL.
stop_daemon() {
  local name=$1 grace=${2:-10} pid
  pid=$(pid_of "$name") || {
    rm -f "$RUN_DIR/pids/$name.pid"
    return 0
  }
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt $((grace * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$RUN_DIR/pids/$name.pid"
}
