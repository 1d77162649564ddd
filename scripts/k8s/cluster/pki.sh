#!/usr/bin/env bash
# Creates a test cluster's credentials under RUN_DIR/pki: a CA, the apiserver's serving certificate,
# its client certificate for kubelets, the service-account key pair, a static token file and one
# kubeconfig per component. Usage: pki.sh RUN_DIR NODE_NAME NODE_IP SERVICE_IP
set -euo pipefail

run_dir=$1 node_name=$2 node_ip=$3 service_ip=$4
pki="$run_dir/pki"
mkdir -p "$pki"
cd "$pki"

ec_key() { openssl ecparam -name prime256v1 -genkey -noout -out "$1" 2>/dev/null; }

# Signs a certificate for subject $2 with extensions $3 (openssl -addext syntax) into $1.crt/$1.key.
issue() {
  local name=$1 subject=$2 ext=$3
  ec_key "$name.key"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr" 2>/dev/null
  printf '%s\n' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 7 -sha256 \
    -extfile "$name.ext" -out "$name.crt" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}

ec_key ca.key
openssl req -x509 -new -key ca.key -subj "/CN=conexus-k8s-ca" -days 7 -sha256 -out ca.crt \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
issue apiserver "/CN=kube-apiserver" \
  "subjectAltName=IP:127.0.0.1,IP:$node_ip,IP:$service_ip,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
keyUsage=critical,digitalSignature,keyEncipherment"
issue kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client" \
  "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature,keyEncipherment"
ec_key sa.key
openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null

token() { openssl rand -hex 16; }
admin_token=$(token) node_token=$(token) controller_token=$(token) scheduler_token=$(token) proxy_token=$(token)
# why: fixed identities the default RBAC roles already bind (system:masters, system:kube-*, the Node
# authorizer's system:node:<name>), so nothing needs bootstrapping before the components start.
cat >tokens.csv <<EOF
$admin_token,admin,admin,"system:masters"
$node_token,system:node:$node_name,node-$node_name,"system:nodes"
$controller_token,system:kube-controller-manager,kube-controller-manager
$scheduler_token,system:kube-scheduler,kube-scheduler
$proxy_token,system:kube-proxy,kube-proxy
EOF
chmod 600 tokens.csv ./*.key

kubeconfig() {
  local file=$1 user=$2 token=$3
  cat >"$file" <<EOF
apiVersion: v1
kind: Config
clusters:
  - name: conexus-k8s
    cluster:
      server: https://127.0.0.1:6443
      certificate-authority-data: $(base64 -w0 ca.crt)
users:
  - name: $user
    user:
      token: $token
contexts:
  - name: conexus-k8s
    context: { cluster: conexus-k8s, user: $user }
current-context: conexus-k8s
EOF
  chmod 600 "$file"
}
kubeconfig "$run_dir/kubeconfig" admin "$admin_token"
kubeconfig kubelet.kubeconfig "system:node:$node_name" "$node_token"
kubeconfig controller-manager.kubeconfig system:kube-controller-manager "$controller_token"
kubeconfig scheduler.kubeconfig system:kube-scheduler "$scheduler_token"
kubeconfig kube-proxy.kubeconfig system:kube-proxy "$proxy_token"
