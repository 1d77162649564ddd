output "gateway_url" {
  description = "The gateway's in-cluster URL."
  value       = module.conexus.gateway_url
}

output "service_names" {
  description = "Service name per component."
  value       = module.conexus.service_names
}

output "release_status" {
  description = "Helm release status."
  value       = module.conexus.release_status
}

output "release_revision" {
  description = "Helm release revision."
  value       = module.conexus.release_revision
}
