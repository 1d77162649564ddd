output "vpc_id" {
  description = "ID of the VPC."
  value       = module.vpc.vpc_id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets (nodes, pods and the internal NLB)."
  value       = module.vpc.private_subnets
}

output "cluster_name" {
  description = "Name of the EKS cluster."
  value       = module.eks.cluster_name
}

output "kubeconfig_command" {
  description = "Writes a kubeconfig entry for the cluster (run it from a network that reaches the API endpoint)."
  value       = "aws eks update-kubeconfig --region ${var.region} --name ${module.eks.cluster_name}"
}

output "gateway_url" {
  description = "The gateway's in-cluster URL (HTTP, Connect and gRPC on one port; https with TLS)."
  value       = module.conexus.gateway_url
}

output "gateway_load_balancer_command" {
  description = "Prints the internal NLB's DNS name once the AWS Load Balancer Controller has provisioned it."
  value       = "kubectl --namespace ${module.conexus.namespace} get service ${module.conexus.service_names.gateway} --output jsonpath='{.status.loadBalancer.ingress[0].hostname}'"
}
