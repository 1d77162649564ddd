# Conexus on a cluster you already have (on-premises, k3s, kind, any managed Kubernetes) reached through a
# kubeconfig: a namespace under restricted Pod Security, the gateway's TLS Secret from PEM files, the release.
module "conexus" {
  source = "../../modules/conexus"

  namespace    = var.namespace
  release_name = var.release_name
  image = {
    registry    = var.image_registry
    tag         = var.image_tag
    pull_policy = var.image_pull_policy
  }
  oidc      = var.oidc
  replicas  = var.replicas
  resources = var.resources
  nats      = var.nats
  indexer   = var.indexer
  gateway_tls_pem = var.gateway_tls_certificate_file == "" ? null : {
    certificate = file(var.gateway_tls_certificate_file)
    private_key = file(var.gateway_tls_private_key_file)
  }
}
