#!/usr/bin/env bash
# Checks the built images the way a restricted Kubernetes pod runs them: read-only root, uid 65532, no
# capabilities, no privilege escalation. Each service starts against the bundled NATS image (on 127.0.0.1
# only), logs that it started, and exits 0 soon after SIGTERM. Also: no shell in the distroless images, git
# in the indexer, tini reaping orphaned children, the ONNX runtime loading a mounted model, the SBOM and labels.
#   scripts/images/verify-images.sh            (tag as in build-images.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
TAG="${CONEXUS_IMAGE_TAG:-$(sed -n 's/^  "version": "\(.*\)",$/\1/p' "$ROOT/package.json")}"
MODELS_DIR="${CONEXUS_MODELS_DIR:-$HOME/.cache/conexus/models}"
NATS_PORT="${CONEXUS_VERIFY_NATS_PORT:-14222}"
NATS_IMAGE=docker.io/library/nats:2.12.4
PREFIX="conexus-verify-$$"
# why: slirp4netns reaches the host's loopback at 10.0.2.2 only when allowed; NATS is published on 127.0.0.1.
HARDENED=(--read-only --user 65532 --cap-drop=ALL --security-opt no-new-privileges
  --network slirp4netns:allow_host_loopback=true --tmpfs /tmp:rw,size=64m,mode=1777)
NATS_URL="nats://10.0.2.2:$NATS_PORT"
failures=0

pass() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  failures=$((failures + 1))
}
DATA_DIR=""
cleanup() {
  podman rm -f -t 0 $(podman ps -aq --filter "name=^$PREFIX") >/dev/null 2>&1 || true
  [ -z "$DATA_DIR" ] || rm -rf "$DATA_DIR"
}
trap cleanup EXIT

image() { echo "localhost/conexus/$1:$TAG"; }

# Waits up to $3 s for container $1's log to match $2.
wait_for_log() {
  local deadline=$((SECONDS + $3))
  while [ $SECONDS -lt "$deadline" ]; do
    podman logs "$1" 2>&1 | grep -q "$2" && return 0
    sleep 0.5
  done
  return 1
}

# Starts a service, waits for its "<service> started" line, sends SIGTERM and checks a clean exit 0.
check_start_stop() {
  local service=$1
  shift
  local name="$PREFIX-$service-$SECONDS"
  podman run -d --name "$name" "${HARDENED[@]}" -e "NATS_URL=$NATS_URL" "$@" "$(image "$service")" >/dev/null
  if ! wait_for_log "$name" "\"$service started\"" 60; then
    fail "$service did not start: $(podman logs "$name" 2>&1 | tail -3)"
    return
  fi
  local started=$SECONDS
  podman kill --signal TERM "$name" >/dev/null
  local code
  code=$(podman wait "$name")
  if [ "$code" = 0 ] && podman logs "$name" 2>&1 | grep -q "\"$service stopping\""; then
    pass "$service: started, read-only, uid $(podman inspect --format '{{.Config.User}}' "$name"); SIGTERM -> exit 0 in $((SECONDS - started)) s"
  else
    fail "$service: exit $code after SIGTERM: $(podman logs "$name" 2>&1 | tail -3)"
  fi
  podman rm -f "$name" >/dev/null
}

check_no_shell() {
  local service=$1
  if podman run --rm "${HARDENED[@]}" --entrypoint /bin/sh "$(image "$service")" -c true >/dev/null 2>&1; then
    fail "$service has /bin/sh"
  else
    pass "$service: no /bin/sh"
  fi
}

check_metadata() {
  local service=$1
  local labels components
  labels=$(podman image inspect --format '{{index .Labels "org.opencontainers.image.title"}} {{index .Labels "org.opencontainers.image.version"}} {{index .Labels "org.opencontainers.image.revision"}}' "$(image "$service")")
  components=$(podman run --rm "${HARDENED[@]}" --entrypoint "$2" "$(image "$service")" \
    -e "console.log(JSON.parse(require('fs').readFileSync('/usr/share/conexus/sbom.cdx.json','utf8')).components.length)")
  pass "$service: labels [$labels], SBOM with $components components"
}

main() {
  podman run -d --name "$PREFIX-nats" --read-only --user 65532 --cap-drop=ALL --security-opt no-new-privileges \
    --network slirp4netns --tmpfs /data:rw,size=256m -p "127.0.0.1:$NATS_PORT:4222" "$NATS_IMAGE" -js -sd /data >/dev/null
  wait_for_log "$PREFIX-nats" "Server is ready" 20 || fail "nats did not start"

  check_start_stop gateway -e CONEXUS_AUTH=none -e CONEXUS_HOST=127.0.0.1
  check_start_stop query
  check_start_stop policy
  # why: the data volume as Kubernetes gives it (a writable directory owned by the pod's user).
  DATA_DIR=$(mktemp -d) && chown 65532:65532 "$DATA_DIR"
  check_start_stop indexer -v "$DATA_DIR:/var/lib/conexus"
  # A model mounted where `auto` looks: the indexer loads the ONNX runtime and logs the embedder it opened.
  if [ -f "$MODELS_DIR/bge-small-en-v1.5/config.json" ]; then
    check_start_stop indexer -v "$DATA_DIR:/var/lib/conexus" -v "$MODELS_DIR:/models:ro" -e CONEXUS_MODELS_DIR=/models
    local embedded
    embedded=$(podman run --rm "${HARDENED[@]}" -v "$MODELS_DIR:/models:ro" "$(image indexer)" --input-type=module -e "
      const { openEmbedder } = await import('/app/node_modules/@conexus/embedding/dist/index.js');
      const embedder = await openEmbedder('onnx:/models/bge-small-en-v1.5', process.env);
      const vector = await embedder.embedQuery('function add(a, b) { return a + b; }');
      console.log(vector.length);" 2>&1 | tail -1)
    [[ "$embedded" =~ ^[0-9]+$ ]] && pass "indexer: onnxruntime-node embeds with the mounted model (dim $embedded)" ||
      fail "indexer: embedding with the mounted model: $embedded"
  fi
  # The native addons load and work as the image's Node builds them: better-sqlite3 (with FTS5) and usearch.
  local natives check
  check=$(mktemp --suffix .mjs)
  cat >"$check" <<'EOF'
import Database from 'better-sqlite3';
import usearch from 'usearch';
const db = new Database(':memory:');
db.exec("CREATE VIRTUAL TABLE t USING fts5(body); INSERT INTO t VALUES ('hello world')");
const hits = db.prepare("SELECT count(*) AS n FROM t WHERE t MATCH 'hello'").get().n;
const index = new usearch.Index({ dimensions: 4, metric: 'cos' });
index.add(1n, new Float32Array([1, 0, 0, 0]));
console.log(`sqlite ${db.prepare('SELECT sqlite_version() AS v').get().v} fts5 hits ${hits}, usearch size ${index.size()}`);
EOF
  chmod 644 "$check"
  natives=$(podman run --rm "${HARDENED[@]}" -v "$check:/app/services/indexer/image-check.mjs:ro" "$(image indexer)" \
    services/indexer/image-check.mjs 2>&1 | tail -1)
  rm -f "$check"
  [[ "$natives" == *"fts5 hits 1, usearch size 1" ]] && pass "indexer: $natives" || fail "indexer: native addons: $natives"
  # A configuration error ends the process at once with exit 1 (no NATS_URL).
  local code
  code=$(podman run --rm "${HARDENED[@]}" "$(image query)" >/dev/null 2>&1 && echo 0 || echo $?)
  [ "$code" = 1 ] && pass "query without NATS_URL: exit 1" || fail "query without NATS_URL: exit $code"

  for service in gateway query policy controller; do check_no_shell "$service"; done
  for service in gateway query policy controller; do check_metadata "$service" /nodejs/bin/node; done
  check_metadata indexer /usr/local/bin/node

  local git
  git=$(podman run --rm "${HARDENED[@]}" --entrypoint /usr/bin/git "$(image indexer)" --version)
  [[ "$git" == git\ version* ]] && pass "indexer: $git" || fail "indexer: git --version: $git"

  # An orphaned grandchild (sh exits, its sleep is re-parented to PID 1): tini reaps it; Node as PID 1 would not.
  local orphan="const { spawnSync } = require('child_process');
    spawnSync('/bin/sh', ['-c', 'sleep 0.2 & exit 0']);
    setTimeout(() => {
      const zombies = require('fs').readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))
        .filter((p) => { try { return require('fs').readFileSync('/proc/' + p + '/stat', 'utf8').split(') ')[1][0] === 'Z'; } catch { return false; } });
      console.log(require('fs').readFileSync('/proc/1/comm', 'utf8').trim() + ' zombies=' + zombies.length);
    }, 1000);"
  local with_tini without_tini
  with_tini=$(podman run --rm "${HARDENED[@]}" "$(image indexer)" -e "$orphan")
  without_tini=$(podman run --rm "${HARDENED[@]}" --entrypoint /usr/local/bin/node "$(image indexer)" -e "$orphan")
  [ "$with_tini" = "tini zombies=0" ] && pass "indexer: PID 1 reaps ($with_tini; Node as PID 1: $without_tini)" ||
    fail "indexer: reaping: $with_tini (Node as PID 1: $without_tini)"

  [ "$failures" = 0 ] && echo "all image checks passed" || echo "$failures image checks failed"
  [ "$failures" = 0 ]
}

main "$@"
