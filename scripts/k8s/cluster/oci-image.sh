#!/usr/bin/env bash
# Writes a one-layer OCI image archive (for `ctr images import`) from a directory, without a registry or
# an image builder. Usage: oci-image.sh OUT.tar NAME ROOTFS_DIR USER ENTRYPOINT [ARG...]
# e.g. oci-image.sh pause.tar localhost/conexus-k8s/pause:1 rootfs 65532:65532 /catatonit -P
set -euo pipefail

out=$1 name=$2 rootfs=$3 user=$4
shift 4
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/blobs/sha256"

# Stores stdin as a blob and prints "<hex digest> <size>".
put_blob() {
  cat >"$work/blob.tmp"
  local digest size
  digest=$(sha256sum "$work/blob.tmp" | cut -d' ' -f1)
  size=$(stat -c %s "$work/blob.tmp")
  mv "$work/blob.tmp" "$work/blobs/sha256/$digest"
  echo "$digest $size"
}

json_strings() {
  local first=1 value
  printf '['
  for value in "$@"; do
    [ $first -eq 1 ] || printf ','
    first=0
    value=${value//\\/\\\\}
    printf '"%s"' "${value//\"/\\\"}"
  done
  printf ']'
}

# why: fixed owner, mode-preserving, sorted, mtime-zero tar so the same input always gives the same digest.
read -r layer layer_size < <(tar -C "$rootfs" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - . | put_blob)
config_json=$(printf '{"architecture":"amd64","os":"linux","config":{"User":"%s","Entrypoint":%s,"Env":["PATH=/usr/local/bin:/usr/bin:/bin"]},"rootfs":{"type":"layers","diff_ids":["sha256:%s"]}}' \
  "$user" "$(json_strings "$@")" "$layer")
read -r config config_size < <(printf '%s' "$config_json" | put_blob)
manifest_json=$(printf '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:%s","size":%s},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"sha256:%s","size":%s}]}' \
  "$config" "$config_size" "$layer" "$layer_size")
read -r manifest manifest_size < <(printf '%s' "$manifest_json" | put_blob)
printf '{"imageLayoutVersion":"1.0.0"}' >"$work/oci-layout"
printf '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:%s","size":%s,"annotations":{"io.containerd.image.name":"%s","org.opencontainers.image.ref.name":"%s"}}]}' \
  "$manifest" "$manifest_size" "$name" "$name" >"$work/index.json"
tar -C "$work" --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$out" oci-layout index.json blobs
