# Installs Conexus for real into the cluster named by var.kubeconfig, reads back what was created, plans a
# change, and is destroyed at the end. Run by `npm run test:terraform`, which starts the cluster, the
# OpenID provider and writes the variables below (kubeconfig, image_tag, oidc_*, tls_*, host_cidr).

provider "kubernetes" {
  config_path = var.kubeconfig
}

provider "helm" {
  kubernetes = {
    config_path = var.kubeconfig
  }
}

variables {
  namespace        = "conexus-tf"
  create_namespace = false
  image = {
    tag         = var.image_tag
    pull_policy = "Never"
  }
  oidc = {
    allow_http   = true
    egress_cidrs = [var.host_cidr]
    egress_ports = [var.oidc_port]
  }
  nats = {
    replicas       = 1
    storage_size   = "1Gi"
    delete_storage = true
  }
  replicas = {
    gateway = 1
    query   = 1
  }
  indexer = {
    embedder       = "none"
    storage_size   = "1Gi"
    delete_storage = true
  }
  resources = {
    gateway = { requests = { cpu = "50m", memory = "128Mi" }, limits = { memory = "1Gi" } }
    query   = { requests = { cpu = "50m", memory = "128Mi" }, limits = { memory = "1Gi" } }
    policy  = { requests = { cpu = "50m", memory = "128Mi" }, limits = { memory = "512Mi" } }
    indexer = { requests = { cpu = "100m", memory = "256Mi" }, limits = { memory = "1Gi" } }
    nats    = { requests = { cpu = "50m", memory = "64Mi" }, limits = { memory = "512Mi" } }
  }
  timeout_seconds = 480
}

run "prerequisites" {
  module {
    source = "./tests/prerequisites"
  }

  variables {
    namespace            = "conexus-tf"
    oidc_issuer          = var.oidc_issuer
    oidc_audience        = var.oidc_audience
    tls_certificate_file = var.tls_certificate_file
    tls_private_key_file = var.tls_private_key_file
  }
}

run "install" {
  variables {
    auth_existing_secret    = run.prerequisites.auth_secret_name
    gateway_tls_secret_name = run.prerequisites.tls_secret_name
  }

  assert {
    condition     = helm_release.this.status == "deployed"
    error_message = "The release is ${helm_release.this.status}, not deployed."
  }
  assert {
    condition     = output.gateway_url == "https://conexus-gateway.conexus-tf.svc:7420"
    error_message = "gateway_url is ${output.gateway_url}."
  }
  assert {
    condition     = output.service_names.query == "conexus-query" && output.nats_url == "nats://conexus-nats.conexus-tf.svc:4222"
    error_message = "Unexpected service names: ${jsonencode(output.service_names)}, ${output.nats_url}."
  }
  assert {
    condition     = output.release_revision == 1
    error_message = "A fresh install should be revision 1, not ${output.release_revision}."
  }
}

run "inspect" {
  module {
    source = "./tests/inspect"
  }

  variables {
    namespace    = "conexus-tf"
    release_name = "conexus"
  }

  assert {
    condition     = output.namespace_labels["pod-security.kubernetes.io/enforce"] == "restricted" && output.namespace_labels["pod-security.kubernetes.io/warn"] == "restricted"
    error_message = "The namespace lacks the restricted Pod Security labels: ${jsonencode(output.namespace_labels)}."
  }
  assert {
    condition     = output.components == tolist(["gateway", "indexer", "nats", "policy", "query"])
    error_message = "Pods of components ${jsonencode(output.components)}."
  }
  assert {
    condition     = length(output.pods_not_ready) == 0
    error_message = "Pods not Ready: ${jsonencode(output.pods_not_ready)}."
  }
  assert {
    condition     = contains(output.gateway_secret_volumes, "gateway-tls")
    error_message = "The gateway does not mount the existing TLS Secret: ${jsonencode(output.gateway_secret_volumes)}."
  }
  assert {
    condition     = contains(output.gateway_env_from_secrets, "conexus-auth")
    error_message = "The gateway does not take its OIDC settings from the existing Secret: ${jsonencode(output.gateway_env_from_secrets)}."
  }
}

run "plan_more_query_replicas" {
  command = plan

  variables {
    auth_existing_secret    = run.prerequisites.auth_secret_name
    gateway_tls_secret_name = run.prerequisites.tls_secret_name
    replicas = {
      gateway = 1
      query   = 2
    }
  }

  assert {
    condition     = yamldecode(helm_release.this.values[0]).query.replicas == 2 && yamldecode(helm_release.this.values[0]).gateway.replicas == 1
    error_message = "The planned values do not scale query alone."
  }
  assert {
    condition     = kubernetes_labels.namespace[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "Scaling the query service should leave the namespace labels as they are."
  }
}
