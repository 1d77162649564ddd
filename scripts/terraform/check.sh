#!/usr/bin/env bash
# Static checks of deploy/terraform (npm run check:terraform, part of npm test): terraform fmt, tflint's core
# rules on every module and example, the README input/output tables against terraform-docs, and, when the
# provider mirror exists, terraform validate of the roots that use only the helm and kubernetes providers.
# Runs every check, prints a summary and exits 1 when any failed.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TF="$ROOT/deploy/terraform"
command -v terraform >/dev/null || { echo "check-terraform: terraform is not on PATH" >&2; exit 1; }
BIN=$(bash "$ROOT/scripts/k8s/install-tools.sh" terraform | tail -n 1) || {
  echo "check-terraform: installing tools failed" >&2
  exit 1
}
export PATH="$BIN:$PATH"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
export TF_CLI_CONFIG_FILE="$WORK/terraformrc" TF_IN_AUTOMATION=1 TF_INPUT=0 CHECKPOINT_DISABLE=1
: >"$TF_CLI_CONFIG_FILE"

# shellcheck source=../named-checks.sh
source "$ROOT/scripts/named-checks.sh"

# Every directory under deploy/terraform holding .tf files: the modules, the examples and the test fixtures.
mapfile -t roots < <(find "$TF" -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sort -u)
# The modules and examples whose README carries a terraform-docs section.
mapfile -t documented < <(cd "$TF" && grep -l 'BEGIN_TF_DOCS' modules/*/README.md examples/*/README.md | xargs -n1 dirname)

check "terraform fmt -check -recursive" terraform fmt -check -recursive -diff "$TF"
for dir in "${roots[@]}"; do
  check "tflint ${dir#"$TF"/}" tflint --chdir "$dir" --config "$TF/.tflint.hcl" --format compact
done
for dir in "${documented[@]}"; do
  # why: on a mismatch, `terraform-docs --config deploy/terraform/.terraform-docs.yml deploy/terraform/DIR` rewrites it.
  check "terraform-docs $dir" terraform-docs --config "$TF/.terraform-docs.yml" --output-check "$TF/$dir"
done

if bash "$ROOT/scripts/terraform/provider-mirror.sh" --cli-config "$TF_CLI_CONFIG_FILE" >/dev/null 2>"$WORK/mirror"; then
  for dir in modules/conexus examples/existing-cluster; do
    export TF_DATA_DIR="$WORK/data-${dir//\//-}"
    # why: init writes a lock file with the mirror's local hashes only; .gitignore keeps it out of commits.
    check "terraform validate $dir" bash -c "cd '$TF/$dir' && terraform init -backend=false -no-color && terraform validate -no-color"
  done
  unset TF_DATA_DIR
else
  echo "check-terraform: terraform validate did not run ($(cat "$WORK/mirror"))" >&2
fi

echo "check-terraform: ${#passed[@]} passed, ${#failed[@]} failed" >&2
[ ${#failed[@]} -eq 0 ]
