#!/usr/bin/env bash
# Prints the Terraform provider mirror the real-cluster tests install from, or says on stderr what is missing
# and exits 1. With `--cli-config FILE` it also writes a Terraform CLI configuration that installs providers
# from that mirror only (a registry would need the network and would mask a missing provider). The providers (hashicorp/helm and hashicorp/kubernetes) are in no registry reachable here:
# deploy/terraform/README.md says how to fill a mirror.
set -euo pipefail
MIRROR="${CONEXUS_TERRAFORM_MIRROR:-$HOME/.cache/conexus/terraform-mirror}"
PROVIDERS=(helm/3.1.2 kubernetes/3.2.1)

missing=()
for provider in "${PROVIDERS[@]}"; do
  name=${provider%/*} version=${provider#*/}
  binary="$MIRROR/registry.terraform.io/hashicorp/$name/$version/linux_amd64/terraform-provider-${name}_v$version"
  [ -x "$binary" ] || missing+=("hashicorp/$name $version ($binary)")
done
if [ ${#missing[@]} -gt 0 ]; then
  printf 'no Terraform provider mirror: missing %s\n' "${missing[@]}" >&2
  exit 1
fi
if [ "${1:-}" = --cli-config ]; then
  printf 'provider_installation {\n  filesystem_mirror {\n    path = "%s"\n  }\n}\n' "$MIRROR" >"$2"
fi
echo "$MIRROR"
