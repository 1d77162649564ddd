# --- AWS and naming ---

variable "region" {
  description = "AWS region to deploy into, e.g. eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-west-1."
  }
}

variable "name" {
  description = "Name of the VPC and the EKS cluster, and the prefix of the IAM roles this example creates."
  type        = string
  default     = "conexus"

  validation {
    # why: IAM role name prefixes may have 38 characters at most, and the EKS module's is "<name>-cluster-".
    condition     = can(regex("^[a-z][a-z0-9-]{0,28}$", var.name))
    error_message = "name must start with a lower-case letter and have at most 29 lower-case letters, digits and '-'."
  }
}

variable "tags" {
  description = "Tags added to every AWS resource (through the provider's default_tags)."
  type        = map(string)
  default     = {}
}

# --- Network ---

variable "vpc_cidr" {
  description = "IPv4 CIDR of the VPC. Private subnets take /+4 blocks (one per AZ, for nodes and pods), public subnets /+8 blocks (NAT gateways only)."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 20, false)
    error_message = "vpc_cidr must be an IPv4 CIDR from /16 (the largest a VPC may be) to /20 (so that the public subnets are still /28)."
  }
}

variable "enable_nat_gateway" {
  description = "Create public subnets with NAT gateways so that nodes can pull images and reach the OIDC issuer and git hosts. false: no public subnets, no internet gateway, no NAT (an air-gapped VPC, which needs VPC endpoints; see the README)."
  type        = bool
  default     = true
}

variable "single_nat_gateway" {
  description = "One NAT gateway for all AZs (cheaper) instead of one per AZ (survives the loss of an AZ)."
  type        = bool
  default     = false
}

# --- EKS cluster ---

variable "kubernetes_version" {
  description = "Kubernetes <major>.<minor> version of the EKS cluster."
  type        = string
  default     = "1.34"

  validation {
    condition     = can(regex("^1\\.[0-9]+$", var.kubernetes_version))
    error_message = "kubernetes_version must be <major>.<minor>, e.g. 1.34."
  }
}

variable "cluster_endpoint_public_access" {
  description = "Also expose the Kubernetes API on a public endpoint (limited to cluster_endpoint_public_access_cidrs). The private endpoint is always on."
  type        = bool
  default     = false
}

variable "cluster_endpoint_public_access_cidrs" {
  description = "Networks allowed to reach the public API endpoint; required when cluster_endpoint_public_access is true."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.cluster_endpoint_public_access_cidrs : can(cidrhost(cidr, 0))])
    error_message = "cluster_endpoint_public_access_cidrs must be CIDR blocks such as 203.0.113.0/24."
  }
  validation {
    # why: the EKS module would otherwise fall back to 0.0.0.0/0.
    condition     = !var.cluster_endpoint_public_access || length(var.cluster_endpoint_public_access_cidrs) > 0
    error_message = "Set cluster_endpoint_public_access_cidrs when cluster_endpoint_public_access is true."
  }
}

variable "cluster_endpoint_private_access_cidrs" {
  description = "Networks outside the node groups (VPN, bastion or CI runner subnets, peered VPCs) allowed to reach the private API endpoint on port 443. Terraform itself must run from one of them."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.cluster_endpoint_private_access_cidrs : can(cidrhost(cidr, 0))])
    error_message = "cluster_endpoint_private_access_cidrs must be CIDR blocks such as 10.20.0.0/16."
  }
  validation {
    condition     = length(distinct(var.cluster_endpoint_private_access_cidrs)) == length(var.cluster_endpoint_private_access_cidrs)
    error_message = "cluster_endpoint_private_access_cidrs must not repeat a CIDR block."
  }
}

variable "cluster_admin_principal_arns" {
  description = "IAM role or user ARNs given cluster-admin through EKS access entries, other than the identity that runs Terraform (which always gets one; a second entry for it fails)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.cluster_admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", arn))])
    error_message = "cluster_admin_principal_arns must be IAM role or user ARNs."
  }
  validation {
    condition     = length(distinct(var.cluster_admin_principal_arns)) == length(var.cluster_admin_principal_arns)
    error_message = "cluster_admin_principal_arns must not repeat an ARN."
  }
}

# --- Node group ---

variable "node_instance_types" {
  description = "Instance types of the managed node group. The default (2 vCPU, 8 GiB) fits Conexus' default requests with room for NATS and the indexer's 4 GiB limit on three nodes."
  type        = list(string)
  default     = ["m6i.large"]

  validation {
    condition     = length(var.node_instance_types) > 0
    error_message = "node_instance_types must name at least one instance type."
  }
}

variable "node_capacity_type" {
  description = "ON_DEMAND or SPOT capacity for the managed node group."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.node_capacity_type)
    error_message = "node_capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "node_min_size" {
  description = "Fewest nodes. 3 keeps one node per AZ for the 3-replica NATS cluster and the 2-replica services."
  type        = number
  default     = 3

  validation {
    condition     = var.node_min_size >= 1 && floor(var.node_min_size) == var.node_min_size
    error_message = "node_min_size must be a whole number, at least 1."
  }
}

variable "node_desired_size" {
  description = "Nodes at creation (the EKS module ignores later changes, so that an autoscaler can own it)."
  type        = number
  default     = 3

  validation {
    condition     = var.node_desired_size >= var.node_min_size && var.node_desired_size <= var.node_max_size && floor(var.node_desired_size) == var.node_desired_size
    error_message = "node_desired_size must be a whole number from node_min_size to node_max_size."
  }
}

variable "node_max_size" {
  description = "Most nodes."
  type        = number
  default     = 6

  validation {
    condition     = var.node_max_size >= var.node_min_size && floor(var.node_max_size) == var.node_max_size
    error_message = "node_max_size must be a whole number, at least node_min_size."
  }
}

# --- Conexus ---

variable "namespace" {
  description = "Namespace of the Conexus release."
  type        = string
  default     = "conexus"
}

variable "create_namespace" {
  description = "Let the conexus module create the namespace (true), or use one that exists already (false), e.g. because you created it to hold the TLS Secret before the first apply."
  type        = bool
  default     = true
}

variable "image_registry" {
  description = "Registry holding the Conexus images: your ECR (<account>.dkr.ecr.<region>.amazonaws.com) or an internal registry reachable from the private subnets."
  type        = string

  validation {
    condition     = length(var.image_registry) > 0 && !can(regex("^[a-z]+://", var.image_registry))
    error_message = "image_registry must be a registry host (and optional path), without a scheme such as https://."
  }
}

variable "image_repository_prefix" {
  description = "Repository prefix in the registry: images are <image_registry>/<image_repository_prefix>/<service>:<image_tag>."
  type        = string
  default     = "conexus"
}

variable "image_tag" {
  description = "Tag of the Conexus images; empty uses the chart's appVersion. Pin it in production."
  type        = string
  default     = ""
}

variable "image_pull_secrets" {
  description = "Existing docker-registry Secrets in the namespace for a private non-ECR registry (ECR needs none: the node role may pull)."
  type        = list(string)
  default     = []
}

variable "nats_image_repository" {
  description = "NATS server image repository, e.g. <account>.dkr.ecr.<region>.amazonaws.com/nats (an ECR copy or pull-through cache of docker.io/library/nats); empty keeps the chart's docker.io/library/nats, which needs the NAT gateways."
  type        = string
  default     = ""
}

variable "oidc_issuer" {
  description = "https:// URL of the OIDC provider whose access tokens the gateway accepts. Leave empty when auth_existing_secret provides OIDC_ISSUER."
  type        = string
  default     = ""
}

variable "oidc_audience" {
  description = "Audience the gateway requires in access tokens. Leave empty when auth_existing_secret provides OIDC_AUDIENCE."
  type        = string
  default     = ""
}

variable "oidc_egress_cidrs" {
  description = "Networks of the OIDC issuer (discovery and JWKS on 443) that the gateway's NetworkPolicy allows; empty allows any address on 443."
  type        = list(string)
  default     = []
}

variable "auth_existing_secret" {
  description = "Existing Secret in the namespace holding OIDC_ISSUER and OIDC_AUDIENCE (and other gateway and policy environment variables), instead of oidc_issuer and oidc_audience."
  type        = string
  default     = ""
}

variable "gateway_tls_secret_name" {
  description = "Existing kubernetes.io/tls Secret in the namespace that the gateway serves (HTTPS and gRPC over TLS; the NLB passes TLS through). Empty serves plain HTTP."
  type        = string
  default     = ""
}

variable "gateway_public_url" {
  description = "URL clients use to reach the gateway, e.g. https://conexus.internal.example.com (a DNS name you point at the internal NLB)."
  type        = string
  default     = ""

  validation {
    condition     = var.gateway_public_url == "" || can(regex("^https?://[^/]", var.gateway_public_url))
    error_message = "gateway_public_url must be an http:// or https:// URL."
  }
}

variable "gateway_client_cidrs" {
  description = "Networks besides the VPC itself (peered VPCs, VPN, on-premises) allowed to reach the gateway through the internal NLB."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for cidr in var.gateway_client_cidrs : can(cidrhost(cidr, 0))])
    error_message = "gateway_client_cidrs must be CIDR blocks such as 10.20.0.0/16."
  }
}

variable "indexer_storage_size" {
  description = "Size of the indexer's gp3 volume."
  type        = string
  default     = "20Gi"
}

variable "nats_storage_size" {
  description = "Size of each bundled NATS replica's gp3 volume."
  type        = string
  default     = "10Gi"
}
