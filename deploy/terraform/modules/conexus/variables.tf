variable "namespace" {
  description = "Namespace of the release. Created by the module unless create_namespace is false, in which case it must exist and only its Pod Security labels are managed."
  type        = string
  default     = "conexus"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS label: lower-case letters, digits and '-', at most 63 characters."
  }
}

variable "create_namespace" {
  description = "Create the namespace (true) or label an existing one (false, for namespaces that a platform team provisions)."
  type        = bool
  default     = true
}

variable "namespace_labels" {
  description = "Extra labels of a namespace the module creates (ignored for an existing namespace)."
  type        = map(string)
  default     = {}
}

variable "pod_security_level" {
  description = "Pod Security Standard enforced, audited and warned on in the namespace. The chart's pods meet `restricted`."
  type        = string
  default     = "restricted"

  validation {
    condition     = contains(["privileged", "baseline", "restricted"], var.pod_security_level)
    error_message = "pod_security_level must be one of privileged, baseline, restricted."
  }
}

variable "release_name" {
  description = "Helm release name; also the prefix of every resource name (`<release_name>-gateway`, ...)."
  type        = string
  default     = "conexus"

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,40}[a-z0-9])?$", var.release_name))
    error_message = "release_name must be a DNS label of at most 42 characters, so that `<release_name>-indexer-headless` stays a valid name."
  }
}

variable "chart" {
  description = "Where the chart comes from: a local `path` (default: the chart beside this module, deploy/helm/conexus), or a `repository` (https:// or oci://) with `name` and a pinned `version`."
  type = object({
    path       = optional(string)
    repository = optional(string)
    name       = optional(string, "conexus")
    version    = optional(string)
  })
  default = {}

  validation {
    condition     = var.chart.repository == null || var.chart.path == null
    error_message = "chart: set either path or repository, not both."
  }
  validation {
    condition     = var.chart.repository == null || var.chart.version != null
    error_message = "chart.version must pin the chart version when chart.repository is set."
  }
}

variable "image" {
  description = "Service images: `<registry>/<repository_prefix>/<service>:<tag>`; an empty tag means the chart's appVersion. pull_secrets name existing docker-registry Secrets in the namespace."
  type = object({
    registry          = optional(string, "localhost")
    repository_prefix = optional(string, "conexus")
    tag               = optional(string, "")
    pull_policy       = optional(string, "IfNotPresent")
    pull_secrets      = optional(list(string), [])
  })
  default = {}

  validation {
    condition     = contains(["Always", "IfNotPresent", "Never"], var.image.pull_policy)
    error_message = "image.pull_policy must be Always, IfNotPresent or Never."
  }
}

variable "oidc" {
  description = "The OIDC provider whose access tokens the gateway accepts. issuer and audience are required unless auth_existing_secret provides OIDC_ISSUER and OIDC_AUDIENCE. allow_http is for test providers only."
  type = object({
    issuer         = optional(string, "")
    audience       = optional(string, "")
    default_tenant = optional(string, "")
    allow_http     = optional(bool, false)
    algorithms     = optional(list(string), [])
    tenant_claim   = optional(string, "tenant")
    groups_claim   = optional(string, "groups")
    roles_claim    = optional(string, "roles")
    egress_cidrs   = optional(list(string), [])
    egress_ports   = optional(list(number), [443])
  })
  default = {}

  validation {
    condition     = var.oidc.issuer == "" || can(regex(var.oidc.allow_http ? "^https?://[^/]" : "^https://[^/]", var.oidc.issuer))
    error_message = "oidc.issuer must be an https:// URL (http:// only with allow_http = true)."
  }
  validation {
    condition     = var.auth_existing_secret != "" || (var.oidc.issuer != "" && var.oidc.audience != "")
    error_message = "Set oidc.issuer and oidc.audience, or auth_existing_secret naming a Secret that holds OIDC_ISSUER and OIDC_AUDIENCE."
  }
  validation {
    condition     = alltrue([for cidr in var.oidc.egress_cidrs : can(cidrhost(cidr, 0))])
    error_message = "oidc.egress_cidrs must be CIDR blocks such as 10.0.0.0/16."
  }
}

variable "auth_existing_secret" {
  description = "Name of an existing Secret in the namespace whose keys become environment variables of the gateway and policy pods (e.g. OIDC_ISSUER, OIDC_AUDIENCE); its keys override var.oidc."
  type        = string
  default     = ""
}

variable "admin_role" {
  description = "Role (from the token's roles claim) that manages a tenant's policy and repositories."
  type        = string
  default     = "conexus-admin"
}

variable "gateway_tls_secret_name" {
  description = "Name of an existing kubernetes.io/tls Secret (tls.crt, tls.key) in the namespace; the gateway then serves HTTPS and gRPC over TLS. Preferred over gateway_tls_pem, which puts the key in the Terraform state."
  type        = string
  default     = ""
}

variable "gateway_tls_pem" {
  description = "A certificate chain and private key (PEM) from which the module creates the gateway's TLS Secret. The key is stored in the Terraform state: prefer gateway_tls_secret_name."
  type = object({
    certificate = string
    private_key = string
  })
  default   = null
  sensitive = true

  validation {
    condition     = var.gateway_tls_pem == null || var.gateway_tls_secret_name == ""
    error_message = "Set gateway_tls_secret_name or gateway_tls_pem, not both."
  }
}

variable "gateway" {
  description = "The gateway Service and the names it answers to: service_type ClusterIP, NodePort or LoadBalancer (with service_annotations, e.g. for an internal load balancer), public_url, allowed_hosts and allowed_origins (browser Origins), ingress_from (NetworkPolicy peers allowed to reach it; empty allows every peer)."
  type = object({
    service_type        = optional(string, "ClusterIP")
    service_annotations = optional(map(string), {})
    public_url          = optional(string, "")
    allowed_hosts       = optional(list(string), [])
    allowed_origins     = optional(list(string), [])
    ingress_from        = optional(list(any), [])
  })
  default = {}

  validation {
    condition     = contains(["ClusterIP", "NodePort", "LoadBalancer"], var.gateway.service_type)
    error_message = "gateway.service_type must be ClusterIP, NodePort or LoadBalancer."
  }
}

variable "replicas" {
  description = "Replicas per service. policy needs at least 2 (it answers every request's scope); more than 1 indexer needs a shared ReadWriteMany volume."
  type = object({
    gateway = optional(number, 2)
    query   = optional(number, 2)
    policy  = optional(number, 2)
    indexer = optional(number, 1)
  })
  default = {}

  validation {
    condition     = alltrue([for count in values(var.replicas) : count >= 0 && floor(count) == count])
    error_message = "replicas must be whole numbers, 0 or more."
  }
  validation {
    condition     = var.replicas.policy >= 2
    error_message = "replicas.policy must be at least 2: every request waits for its scope from the policy service."
  }
}

variable "resources" {
  description = "Container resources per component (gateway, query, policy, indexer, nats): requests and limits maps such as { cpu = \"500m\", memory = \"1Gi\" }. Components left out keep the chart's defaults."
  type = map(object({
    requests = optional(map(string), {})
    limits   = optional(map(string), {})
  }))
  default = {}

  validation {
    condition     = alltrue([for name in keys(var.resources) : contains(["gateway", "query", "policy", "indexer", "nats"], name)])
    error_message = "resources keys must be among gateway, query, policy, indexer, nats."
  }
}

variable "nats" {
  description = "The message bus: the bundled JetStream cluster (bundled = true; replicas 1, 3 or 5) or an external NATS with JetStream reached by url or by url_secret_name (a Secret key holding a URL with credentials), with egress_cidrs the networks it lives on. image_repository and image_tag move the bundled servers' image to a private registry."
  type = object({
    bundled          = optional(bool, true)
    replicas         = optional(number, 3)
    storage_size     = optional(string, "10Gi")
    storage_class    = optional(string, "")
    delete_storage   = optional(bool, false)
    url              = optional(string, "")
    url_secret_name  = optional(string, "")
    url_secret_key   = optional(string, "url")
    egress_cidrs     = optional(list(string), [])
    egress_ports     = optional(list(number), [4222])
    image_repository = optional(string, "docker.io/library/nats")
    image_tag        = optional(string, "2.12.4")
  })
  default = {}

  validation {
    condition     = contains([1, 3, 5], var.nats.replicas)
    error_message = "nats.replicas must be 1, 3 or 5 (an odd JetStream quorum)."
  }
  validation {
    condition     = var.nats.bundled == (var.nats.url == "" && var.nats.url_secret_name == "")
    error_message = "nats: with bundled = true leave url and url_secret_name empty; with bundled = false set exactly one way to reach the external NATS (url or url_secret_name)."
  }
  validation {
    condition     = var.nats.url == "" || var.nats.url_secret_name == ""
    error_message = "nats: set url or url_secret_name, not both."
  }
  validation {
    condition     = var.nats.url == "" || can(regex("^(nats|tls)://[^/]", var.nats.url))
    error_message = "nats.url must be a nats:// or tls:// URL."
  }
}

variable "indexer" {
  description = "The indexer: embedder (auto, none, or a model id), its volume (storage_size, storage_class, delete_storage when the release goes), and which git sources it may clone: git_hosts, git_schemes, git_allowed_networks (private networks allowed, CIDR), git_egress_cidrs and git_egress_ports (NetworkPolicy; empty keeps the chart's public-internet default) and git_ca_secret_name (an existing Secret with ca.crt for an internal forge)."
  type = object({
    embedder             = optional(string, "auto")
    storage_size         = optional(string, "20Gi")
    storage_class        = optional(string, "")
    delete_storage       = optional(bool, false)
    git_hosts            = optional(list(string), ["github.com", "gitlab.com", "bitbucket.org"])
    git_schemes          = optional(list(string), ["https", "ssh"])
    git_allowed_networks = optional(list(string), [])
    git_egress_cidrs     = optional(list(string), [])
    git_egress_ports     = optional(list(number), [443, 22])
    git_ca_secret_name   = optional(string, "")
  })
  default = {}

  validation {
    condition     = length(var.indexer.git_hosts) > 0 && length(var.indexer.git_schemes) > 0
    error_message = "indexer.git_hosts and indexer.git_schemes must each name at least one entry."
  }
  validation {
    condition     = alltrue([for scheme in var.indexer.git_schemes : contains(["https", "ssh", "file"], scheme)])
    error_message = "indexer.git_schemes must be among https, ssh, file."
  }
  validation {
    condition     = alltrue([for cidr in concat(var.indexer.git_allowed_networks, var.indexer.git_egress_cidrs) : can(cidrhost(cidr, 0))])
    error_message = "indexer.git_allowed_networks and indexer.git_egress_cidrs must be CIDR blocks such as 10.0.0.0/16."
  }
}

variable "shards" {
  description = "Index shards that the indexers divide among themselves; fixed for the life of an installation."
  type        = number
  default     = 16

  validation {
    condition     = var.shards >= 1 && var.shards <= 1024 && floor(var.shards) == var.shards
    error_message = "shards must be a whole number from 1 to 1024."
  }
}

variable "network_policy_enabled" {
  description = "Install the chart's default-deny NetworkPolicies (ingress only to the gateway; egress only to NATS, DNS, the OIDC issuer and allowed git networks)."
  type        = bool
  default     = true
}

variable "values" {
  description = "Further chart values as YAML documents, applied after the module's own (for settings the module has no variable for)."
  type        = list(string)
  default     = []
}

variable "wait" {
  description = "Wait until every Deployment and StatefulSet of the release is Ready before the apply completes."
  type        = bool
  default     = true
}

variable "timeout_seconds" {
  description = "How long an install or upgrade may take before it fails."
  type        = number
  default     = 600
}
