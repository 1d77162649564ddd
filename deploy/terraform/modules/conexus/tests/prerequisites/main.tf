# What a platform team provides before Conexus is installed: the namespace and the Secrets the release
# refers to by name (OIDC settings, the gateway's TLS key pair). Used by the module's tests only.
resource "kubernetes_namespace_v1" "this" {
  metadata {
    name = var.namespace
  }
}

resource "kubernetes_secret_v1" "auth" {
  data = {
    OIDC_ISSUER   = var.oidc_issuer
    OIDC_AUDIENCE = var.oidc_audience
  }

  metadata {
    name      = "conexus-auth"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
}

resource "kubernetes_secret_v1" "gateway_tls" {
  type = "kubernetes.io/tls"
  data = {
    "tls.crt" = file(var.tls_certificate_file)
    "tls.key" = file(var.tls_private_key_file)
  }

  metadata {
    name      = "gateway-tls"
    namespace = kubernetes_namespace_v1.this.metadata[0].name
  }
}
