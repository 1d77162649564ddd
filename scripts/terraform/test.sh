#!/usr/bin/env bash
# `npm run test:terraform`: `terraform test` of deploy/terraform/modules/conexus and an apply, plan and
# destroy of examples/existing-cluster against a real cluster (scripts/k8s/e2e.sh with the jest project
# `terraform`), with the providers installed from a filesystem mirror. Fails when the mirror is missing.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
command -v terraform >/dev/null || { echo "test:terraform: terraform is not on PATH" >&2; exit 1; }
CONEXUS_TERRAFORM_MIRROR=$(bash "$ROOT/scripts/terraform/provider-mirror.sh")
export CONEXUS_TERRAFORM_MIRROR
echo "[terraform] $(terraform version | head -1), providers from $CONEXUS_TERRAFORM_MIRROR" >&2
CONEXUS_K8S_SUITE=terraform exec bash "$ROOT/scripts/k8s/e2e.sh"
