#!/usr/bin/env bash
# `npm run test:terraform`: `terraform test` of deploy/terraform/modules/conexus and an apply, plan and
# destroy of examples/existing-cluster against a real cluster (scripts/k8s/e2e.sh with the jest project
# `terraform`), with the providers installed from a filesystem mirror. Fails when the mirror is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
command -v terraform >/dev/null || { echo "test:terraform: terraform is not on PATH" >&2; exit 1; }
# why: the CLI configuration outlives this script's process: the cluster run reads it from its namespace.
CONEXUS_TERRAFORM_CLI_CONFIG=$(mktemp /tmp/conexus-terraformrc.XXXXXX)
export CONEXUS_TERRAFORM_CLI_CONFIG
mirror=$(bash "$ROOT/scripts/terraform/provider-mirror.sh" --cli-config "$CONEXUS_TERRAFORM_CLI_CONFIG")
echo "[terraform] $(terraform version | head -1), providers from $mirror" >&2
CONEXUS_K8S_SUITE=terraform exec bash "$ROOT/scripts/k8s/e2e.sh"
