locals {
  # why: the chart's resource names are `<fullname>-<component>`; pinning fullname to the release name makes
  # them predictable for the outputs and for other Terraform that refers to them.
  fullname = var.release_name

  pod_security_labels = merge(
    { for mode in ["enforce", "audit", "warn"] : "pod-security.kubernetes.io/${mode}" => var.pod_security_level },
    { for mode in ["enforce", "audit", "warn"] : "pod-security.kubernetes.io/${mode}-version" => "latest" },
  )

  namespace = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : kubernetes_labels.namespace[0].metadata[0].name

  creates_tls_secret = nonsensitive(var.gateway_tls_pem != null)
  tls_secret_name    = local.creates_tls_secret ? kubernetes_secret_v1.gateway_tls[0].metadata[0].name : var.gateway_tls_secret_name

  chart_path = coalesce(var.chart.path, abspath("${path.module}/../../../helm/conexus"))

  # The chart's own resources block for each component the caller sized; the rest keep the chart's defaults.
  sized = { for name, size in var.resources : name => { resources = { requests = size.requests, limits = size.limits } } }

  chart_values = {
    fullnameOverride = local.fullname
    shards           = var.shards
    image = {
      registry         = var.image.registry
      repositoryPrefix = var.image.repository_prefix
      tag              = var.image.tag
      pullPolicy       = var.image.pull_policy
      pullSecrets      = var.image.pull_secrets
    }
    auth = {
      oidc = {
        issuer        = var.oidc.issuer
        audience      = var.oidc.audience
        allowHttp     = var.oidc.allow_http
        defaultTenant = var.oidc.default_tenant
        algorithms    = var.oidc.algorithms
        claims        = { tenant = var.oidc.tenant_claim, groups = var.oidc.groups_claim, roles = var.oidc.roles_claim }
      }
      adminRole      = var.admin_role
      existingSecret = var.auth_existing_secret
    }
    nats = {
      url            = var.nats.url
      urlSecret      = { name = var.nats.url_secret_name, key = var.nats.url_secret_key }
      externalEgress = { cidrs = var.nats.egress_cidrs, ports = var.nats.egress_ports }
      bundled = merge({
        enabled  = var.nats.bundled
        replicas = var.nats.replicas
        image    = { repository = var.nats.image_repository, tag = var.nats.image_tag }
        persistence = {
          size         = var.nats.storage_size
          storageClass = var.nats.storage_class
          whenDeleted  = var.nats.delete_storage ? "Delete" : "Retain"
        }
      }, lookup(local.sized, "nats", {}))
    }
    gateway = merge({
      replicas = var.replicas.gateway
      service = {
        type        = var.gateway.service_type
        port        = 7420
        annotations = var.gateway.service_annotations
      }
      tls            = { secretName = local.tls_secret_name }
      publicUrl      = var.gateway.public_url
      allowedHosts   = var.gateway.allowed_hosts
      allowedOrigins = var.gateway.allowed_origins
      networkPolicy = {
        ingressFrom = var.gateway.ingress_from
        oidcEgress  = { cidrs = var.oidc.egress_cidrs, ports = var.oidc.egress_ports }
      }
    }, lookup(local.sized, "gateway", {}))
    query  = merge({ replicas = var.replicas.query }, lookup(local.sized, "query", {}))
    policy = merge({ replicas = var.replicas.policy }, lookup(local.sized, "policy", {}))
    indexer = merge({
      replicas = var.replicas.indexer
      embedder = var.indexer.embedder
      git = {
        hosts           = var.indexer.git_hosts
        schemes         = var.indexer.git_schemes
        allowPrivate    = false
        allowedNetworks = var.indexer.git_allowed_networks
        caSecret        = { name = var.indexer.git_ca_secret_name, key = "ca.crt" }
      }
      persistence = {
        size         = var.indexer.storage_size
        storageClass = var.indexer.storage_class
        whenDeleted  = var.indexer.delete_storage ? "Delete" : "Retain"
      }
      # why: an empty list would deny every git host; leaving the key out keeps the chart's public-internet default.
      networkPolicy = merge(
        { gitEgressPorts = var.indexer.git_egress_ports },
        length(var.indexer.git_egress_cidrs) > 0 ? { gitEgressCidrs = [for cidr in var.indexer.git_egress_cidrs : { cidr = cidr }] } : {},
      )
    }, lookup(local.sized, "indexer", {}))
    networkPolicy = { enabled = var.network_policy_enabled }
  }

  scheme = local.tls_secret_name != "" ? "https" : "http"
  service_names = {
    for component in ["gateway", "query", "policy", "indexer"] : component => "${local.fullname}-${component}"
  }
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name   = var.namespace
    labels = merge(var.namespace_labels, local.pod_security_labels)
  }
}

# Pod Security labels on a namespace that someone else manages; removed again on destroy.
resource "kubernetes_labels" "namespace" {
  count = var.create_namespace ? 0 : 1

  api_version   = "v1"
  kind          = "Namespace"
  field_manager = "conexus-terraform"
  labels        = local.pod_security_labels

  metadata {
    name = var.namespace
  }
}

resource "kubernetes_secret_v1" "gateway_tls" {
  count = local.creates_tls_secret ? 1 : 0

  type = "kubernetes.io/tls"
  data = {
    "tls.crt" = var.gateway_tls_pem.certificate
    "tls.key" = var.gateway_tls_pem.private_key
  }

  metadata {
    name      = "${local.fullname}-gateway-tls"
    namespace = local.namespace
    labels    = { "app.kubernetes.io/part-of" = "conexus", "app.kubernetes.io/managed-by" = "terraform" }
  }
}

resource "helm_release" "this" {
  name       = var.release_name
  namespace  = local.namespace
  repository = var.chart.repository
  chart      = var.chart.repository == null ? local.chart_path : var.chart.name
  version    = var.chart.version
  values     = concat([yamlencode(local.chart_values)], var.values)
  wait       = var.wait
  timeout    = var.timeout_seconds
  # why: a failed upgrade should leave the last good release serving, not a half-rolled one.
  atomic          = true
  cleanup_on_fail = true
  max_history     = 10
}
