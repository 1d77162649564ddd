variable "kubeconfig_path" {
  description = "Path of the kubeconfig that reaches the cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kube_context" {
  description = "Context of the kubeconfig to use; null uses its current context."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Namespace the module creates for Conexus."
  type        = string
  default     = "conexus"
}

variable "release_name" {
  description = "Helm release name, also the prefix of the Service names."
  type        = string
  default     = "conexus"
}

variable "image_registry" {
  description = "Registry that serves the conexus/<service> images (see `npm run images`)."
  type        = string
  default     = "localhost"
}

variable "image_tag" {
  description = "Tag of the Conexus images; empty means the chart's appVersion."
  type        = string
  default     = ""
}

variable "image_pull_policy" {
  description = "Pull policy of the images (Never for images imported into the nodes' runtime)."
  type        = string
  default     = "IfNotPresent"
}

variable "oidc" {
  description = "OIDC settings passed to the module (issuer, audience, default_tenant, allow_http, egress_cidrs, ...)."
  type        = any
}

variable "replicas" {
  description = "Replicas per service (gateway, query, policy, indexer) passed to the module."
  type        = any
  default     = {}
}

variable "resources" {
  description = "Container resources per component passed to the module."
  type        = any
  default     = {}
}

variable "nats" {
  description = "NATS settings passed to the module (bundled by default)."
  type        = any
  default     = {}
}

variable "indexer" {
  description = "Indexer settings passed to the module (embedder, storage, git hosts and networks)."
  type        = any
  default     = {}
}

variable "gateway_tls_certificate_file" {
  description = "PEM certificate chain for the gateway; empty serves plain HTTP. The module stores it and the key in a Secret (and the Terraform state)."
  type        = string
  default     = ""
}

variable "gateway_tls_private_key_file" {
  description = "PEM private key matching gateway_tls_certificate_file."
  type        = string
  default     = ""
}
