data "aws_availability_zones" "available" {
  # why: local and wavelength zones can't hold EKS nodes.
  filter {
    name   = "opt-in-status"
    values = ["opt-in-not-required"]
  }
}

data "aws_partition" "current" {}

locals {
  availability_zones = slice(data.aws_availability_zones.available.names, 0, 3)

  # One /+4 private subnet per AZ for nodes and pods (the VPC CNI gives pods VPC addresses), and a
  # small /+8 public subnet per AZ that holds nothing but a NAT gateway.
  private_subnet_cidrs = [for index in range(length(local.availability_zones)) : cidrsubnet(var.vpc_cidr, 4, index)]
  public_subnet_cidrs  = [for index in range(length(local.availability_zones)) : cidrsubnet(var.vpc_cidr, 8, index + 48)]

  cluster_admin_policy_arn = "arn:${data.aws_partition.current.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  # why: clients reach the gateway through the NLB, which (ip targets, no client IP preservation) connects from
  # its own addresses in the VPC; in-cluster clients have VPC addresses too.
  gateway_client_cidrs = concat([var.vpc_cidr], var.gateway_client_cidrs)

  # An internal NLB with pod (ip) targets, provisioned by the AWS Load Balancer Controller.
  internal_nlb_annotations = {
    "service.beta.kubernetes.io/aws-load-balancer-type"            = "external"
    "service.beta.kubernetes.io/aws-load-balancer-scheme"          = "internal"
    "service.beta.kubernetes.io/aws-load-balancer-nlb-target-type" = "ip"
    "service.beta.kubernetes.io/load-balancer-source-ranges"       = join(",", local.gateway_client_cidrs)
  }
}

################################################################################
# VPC: private subnets in 3 AZs; public subnets only for the NAT gateways
################################################################################

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "6.6.0"

  name = var.name
  cidr = var.vpc_cidr
  azs  = local.availability_zones

  private_subnets = local.private_subnet_cidrs
  public_subnets  = var.enable_nat_gateway ? local.public_subnet_cidrs : []

  enable_nat_gateway = var.enable_nat_gateway
  single_nat_gateway = var.single_nat_gateway

  # why: the AWS Load Balancer Controller places internal load balancers in subnets with this tag.
  private_subnet_tags = {
    "kubernetes.io/role/internal-elb" = 1
  }
}

################################################################################
# EKS: private API endpoint, one managed node group, the add-ons Conexus needs
################################################################################

module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "21.19.0"

  name               = var.name
  kubernetes_version = var.kubernetes_version

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  endpoint_private_access = true
  endpoint_public_access  = var.cluster_endpoint_public_access
  # why: with the public endpoint off, null leaves the list to EKS rather than sending an empty one.
  endpoint_public_access_cidrs = var.cluster_endpoint_public_access ? var.cluster_endpoint_public_access_cidrs : null

  # why: nodes reach the private endpoint through the module's own rule; anyone else (Terraform, kubectl) needs one.
  security_group_additional_rules = {
    for cidr in var.cluster_endpoint_private_access_cidrs : "ingress_api_${cidr}" => {
      description = "Kubernetes API from ${cidr}"
      type        = "ingress"
      protocol    = "tcp"
      from_port   = 443
      to_port     = 443
      cidr_blocks = [cidr]
    }
  }

  # why: the identity running Terraform installs the Helm release, so it needs cluster-admin.
  enable_cluster_creator_admin_permissions = true
  access_entries = {
    for principal_arn in var.cluster_admin_principal_arns : principal_arn => {
      principal_arn = principal_arn
      policy_associations = {
        admin = {
          policy_arn   = local.cluster_admin_policy_arn
          access_scope = { type = "cluster" }
        }
      }
    }
  }

  addons = {
    coredns    = {}
    kube-proxy = {}
    vpc-cni = {
      before_compute = true
      # why: the chart's default-deny NetworkPolicies are only enforced when the VPC CNI's policy agent is on.
      configuration_values = jsonencode({ enableNetworkPolicy = "true" })
    }
    eks-pod-identity-agent = {
      before_compute = true
    }
    # why: the indexer and NATS volumes are gp3 EBS volumes, which only the EBS CSI driver provisions.
    aws-ebs-csi-driver = {
      pod_identity_association = [{
        role_arn        = aws_iam_role.ebs_csi_driver.arn
        service_account = "ebs-csi-controller-sa"
      }]
    }
  }

  eks_managed_node_groups = {
    conexus = {
      instance_types = var.node_instance_types
      capacity_type  = var.node_capacity_type
      min_size       = var.node_min_size
      desired_size   = var.node_desired_size
      max_size       = var.node_max_size
    }
  }
}

# The EBS CSI controller's AWS permissions, through EKS Pod Identity (no OIDC provider or IRSA annotations).
data "aws_iam_policy_document" "ebs_csi_driver_trust" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["pods.eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "ebs_csi_driver" {
  name_prefix        = "${var.name}-ebs-csi-"
  description        = "EBS CSI driver controller of the ${var.name} EKS cluster (EKS Pod Identity)."
  assume_role_policy = data.aws_iam_policy_document.ebs_csi_driver_trust.json
}

resource "aws_iam_role_policy_attachment" "ebs_csi_driver" {
  role       = aws_iam_role.ebs_csi_driver.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"
}

# why: EKS creates no gp3 StorageClass (recent versions create none at all).
resource "kubernetes_storage_class_v1" "gp3" {
  metadata {
    name = "gp3"
  }

  storage_provisioner    = "ebs.csi.aws.com"
  volume_binding_mode    = "WaitForFirstConsumer"
  allow_volume_expansion = true
  reclaim_policy         = "Delete"
  parameters = {
    type      = "gp3"
    encrypted = "true"
  }

  # why: the class is useless, and its deletion on destroy would hang, without the driver and the nodes.
  depends_on = [module.eks]
}

################################################################################
# Conexus
################################################################################

module "conexus" {
  source = "../../modules/conexus"

  namespace        = var.namespace
  create_namespace = var.create_namespace

  image = {
    registry          = var.image_registry
    repository_prefix = var.image_repository_prefix
    tag               = var.image_tag
    pull_secrets      = var.image_pull_secrets
  }

  oidc = {
    issuer       = var.oidc_issuer
    audience     = var.oidc_audience
    egress_cidrs = var.oidc_egress_cidrs
  }
  auth_existing_secret = var.auth_existing_secret

  gateway_tls_secret_name = var.gateway_tls_secret_name

  gateway = {
    service_type        = "LoadBalancer"
    service_annotations = local.internal_nlb_annotations
    public_url          = var.gateway_public_url
    ingress_from        = [for cidr in local.gateway_client_cidrs : { ipBlock = { cidr = cidr } }]
  }

  nats = {
    bundled       = true
    storage_class = kubernetes_storage_class_v1.gp3.metadata[0].name
    storage_size  = var.nats_storage_size
    # An ECR copy or pull-through cache of docker.io/library/nats; the chart's default needs the NAT gateways.
    image_repository = var.nats_image_repository == "" ? "docker.io/library/nats" : var.nats_image_repository
  }

  indexer = {
    storage_class = kubernetes_storage_class_v1.gp3.metadata[0].name
    storage_size  = var.indexer_storage_size
  }

  # why: the release needs nodes, the CNI's policy agent and the EBS CSI driver before its pods can start.
  depends_on = [module.eks]
}
