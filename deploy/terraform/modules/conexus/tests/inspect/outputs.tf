output "namespace_labels" {
  description = "Labels of the namespace."
  value       = data.kubernetes_namespace_v1.this.metadata[0].labels
}

output "components" {
  description = "Sorted distinct components of the release's pods."
  value       = sort(distinct([for pod in local.service_pods : pod.metadata.labels["app.kubernetes.io/component"]]))
}

output "pods_not_ready" {
  description = "Names of the release's pods without a Ready condition that is True."
  value = [for pod in local.service_pods : pod.metadata.name
  if !anytrue([for condition in try(pod.status.conditions, []) : condition.type == "Ready" && condition.status == "True"])]
}

output "pod_count" {
  description = "Number of the release's pods."
  value       = length(local.service_pods)
}

output "gateway_secret_volumes" {
  description = "Secret names mounted as volumes by the gateway's pods."
  value       = [for volume in local.gateway_pod.volumes : volume.secret.secretName if try(volume.secret.secretName, null) != null]
}

output "gateway_env_from_secrets" {
  description = "Secret names the gateway container takes environment variables from."
  value       = [for source in try(local.gateway_pod.containers[0].envFrom, []) : source.secretRef.name if try(source.secretRef.name, null) != null]
}

output "gateway_replicas" {
  description = "Replicas of the gateway Deployment."
  value       = data.kubernetes_resource.gateway.object.spec.replicas
}
