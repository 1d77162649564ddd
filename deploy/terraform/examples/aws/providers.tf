provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}

locals {
  # why: a token from `aws eks get-token` at each call never expires mid-apply, unlike one read into the plan.
  cluster_auth_exec = {
    api_version = "client.authentication.k8s.io/v1beta1"
    command     = "aws"
    args        = ["eks", "get-token", "--cluster-name", module.eks.cluster_name, "--region", var.region]
  }
}

provider "kubernetes" {
  host                   = module.eks.cluster_endpoint
  cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)

  exec {
    api_version = local.cluster_auth_exec.api_version
    command     = local.cluster_auth_exec.command
    args        = local.cluster_auth_exec.args
  }
}

provider "helm" {
  kubernetes = {
    host                   = module.eks.cluster_endpoint
    cluster_ca_certificate = base64decode(module.eks.cluster_certificate_authority_data)
    exec                   = local.cluster_auth_exec
  }
}
