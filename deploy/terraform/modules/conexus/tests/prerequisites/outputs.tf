output "namespace" {
  description = "The namespace created."
  value       = kubernetes_namespace_v1.this.metadata[0].name
}

output "auth_secret_name" {
  description = "Secret with OIDC_ISSUER and OIDC_AUDIENCE."
  value       = kubernetes_secret_v1.auth.metadata[0].name
}

output "tls_secret_name" {
  description = "kubernetes.io/tls Secret of the gateway."
  value       = kubernetes_secret_v1.gateway_tls.metadata[0].name
}
