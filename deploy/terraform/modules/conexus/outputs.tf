output "namespace" {
  description = "Namespace of the release."
  value       = helm_release.this.namespace
}

output "release_name" {
  description = "Helm release name."
  value       = helm_release.this.name
}

output "release_status" {
  description = "Helm release status (deployed when the last install or upgrade succeeded)."
  value       = helm_release.this.status
}

output "release_revision" {
  description = "Helm release revision; each upgrade adds one."
  value       = helm_release.this.metadata.revision
}

output "chart_version" {
  description = "Version of the installed chart."
  value       = helm_release.this.metadata.version
}

output "app_version" {
  description = "Conexus version of the installed chart."
  value       = helm_release.this.metadata.app_version
}

output "service_names" {
  description = "Service name per component (gateway, query, policy, indexer) in the namespace."
  value       = local.service_names
}

output "gateway_url" {
  description = "The gateway's in-cluster URL (HTTP, Connect and gRPC on one port; https when TLS is configured)."
  value       = "${local.scheme}://${local.service_names.gateway}.${helm_release.this.namespace}.svc:7420"
}

output "gateway_tls_secret_name" {
  description = "The TLS Secret the gateway serves (empty without TLS)."
  value       = local.tls_secret_name
}

output "nats_url" {
  description = "The bundled NATS cluster's in-cluster URL; null with an external NATS (whose URL the caller supplied)."
  value       = var.nats.bundled ? "nats://${local.fullname}-nats.${helm_release.this.namespace}.svc:4222" : null
}
