#!/usr/bin/env bash
# Static checks of the Helm chart (npm run check:chart): helm lint --strict and helm template with each
# ci/*-values.yaml, the rendered manifests (the chart's CRDs included) validated against the Kubernetes 1.33
# schemas, the CRDs' own schemas (documented, and example resources accepted or refused), a config change
# rolling exactly the pods it should, the helm-unittest suites and the README's values table. Runs every
# check, prints a summary and exits 1 when any failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CHART="$ROOT/deploy/helm/conexus"
KUBE_VERSION=1.33.0
# why: these kinds come from CRDs (Prometheus Operator, Gateway API); the Kubernetes schemas lack them, so
# they are rendered (with --api-versions) but not schema-validated. Listed by name so nothing else is skipped.
CRD_KINDS='ServiceMonitor HTTPRoute'
CRD_APIS=(--api-versions monitoring.coreos.com/v1/ServiceMonitor --api-versions gateway.networking.k8s.io/v1/HTTPRoute)

BIN=$(bash "$ROOT/scripts/k8s/install-tools.sh" chart | tail -n 1) || { echo "check-chart: installing tools failed" >&2; exit 1; }
export PATH="$BIN:$PATH"
# why: the Python that runs kubernetes-validate has PyYAML, which splits and filters the rendered manifests.
PY=$(dirname "$(readlink -f "$BIN/kubernetes-validate")")/python
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# shellcheck source=../named-checks.sh
source "$ROOT/scripts/named-checks.sh"

# Validates a rendered manifest stream against the Kubernetes schemas, leaving out the CRD kinds; a kind
# without a schema fails too (kubernetes-validate only warns about it).
validate_manifests() {
  local rendered=$1 kept="$WORK/kept.yaml"
  "$PY" - "$rendered" "$kept" "$CRD_KINDS" <<'PY' || return 1
import sys, yaml
source, target, skipped = sys.argv[1], sys.argv[2], set(sys.argv[3].split())
docs = [d for d in yaml.safe_load_all(open(source)) if d]
kept = [d for d in docs if d.get('kind') not in skipped]
for d in docs:
    if d.get('kind') in skipped:
        print(f"not schema-validated (CRD kind): {d['kind']}/{d['metadata']['name']}")
with open(target, 'w') as out:
    yaml.safe_dump_all(kept, out, sort_keys=False)
print(f"{len(kept)} of {len(docs)} manifests to validate")
PY
  kubernetes-validate --strict --quiet --kubernetes-version "$KUBE_VERSION" "$kept" >"$WORK/validate.out" 2>&1
  local rc=$?
  cat "$WORK/validate.out"
  [ $rc -eq 0 ] && ! grep -q "Couldn't find schema" "$WORK/validate.out"
}

# The checksum/config annotation of one component's pod template in a rendered manifest stream.
checksum_of() {
  "$PY" - "$1" "$2" <<'PY'
import sys, yaml
for d in yaml.safe_load_all(open(sys.argv[1])):
    if d and d['kind'] in ('Deployment', 'StatefulSet') and d['metadata']['labels']['app.kubernetes.io/component'] == sys.argv[2]:
        print(d['spec']['template']['metadata']['annotations']['checksum/config'])
PY
}

# Renders the chart with a values file into a manifest stream, with its crds/ and the CRD kinds' APIs declared.
render() {
  helm template rel "$CHART" -n conexus -f "$1" --include-crds "${CRD_APIS[@]}" >"$2"
}

# A gateway setting rolls the gateway and nothing else; a NATS setting rolls the NATS servers.
check_checksums() {
  local base=(template rel "$CHART" -n conexus -f "$CHART/ci/all-in-one-values.yaml")
  helm "${base[@]}" >"$WORK/a.yaml" &&
    helm "${base[@]}" --set 'gateway.allowedHosts={conexus.example.com}' --set nats.bundled.jetstream.maxFile=4G >"$WORK/b.yaml" || return 1
  local component before after
  for component in gateway query policy indexer nats controller; do
    before=$(checksum_of "$WORK/a.yaml" $component) after=$(checksum_of "$WORK/b.yaml" $component)
    [ -n "$before" ] || { echo "$component has no checksum/config annotation"; return 1; }
    case $component in
      gateway | nats) [ "$before" != "$after" ] || { echo "$component did not roll on its config change"; return 1; } ;;
      *) [ "$before" = "$after" ] || { echo "$component rolled on another component's change"; return 1; } ;;
    esac
  done
}

for values in "$CHART"/ci/*-values.yaml; do
  name=$(basename "$values" -values.yaml)
  check "lint $name" helm lint --strict "$CHART" -f "$values"
  check "render $name" render "$values" "$WORK/$name.yaml"
  if [ -s "$WORK/$name.yaml" ]; then
    check "validate $name (k8s $KUBE_VERSION)" validate_manifests "$WORK/$name.yaml"
  else
    failed+=("validate $name (nothing rendered)")
  fi
done
check "config checksums roll the right pods" check_checksums
check "CRD schemas" "$PY" "$ROOT/scripts/k8s/check-crds.py" "$CHART/crds"
check "helm-unittest" helm-unittest --color=false "$CHART"
unittest_summary=$(grep -E '^(Test Suites|Tests):' "$WORK/out" | tr -s ' ' | paste -sd ';' -)
check "README values table" node "$ROOT/deploy/helm/values-table.mjs" --check

echo "check-chart: ${#passed[@]} checks passed, ${#failed[@]} failed"
for name in "${passed[@]}"; do echo "  ok: $name"; done
echo "  helm-unittest: ${unittest_summary:-no summary}"
echo "  not schema-validated (CRD kinds without Kubernetes schemas): $CRD_KINDS"
for name in "${failed[@]}"; do echo "  FAILED: $name"; done
[ ${#failed[@]} -eq 0 ]
