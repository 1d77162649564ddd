# Bad variables are refused by validation before anything reaches the cluster. Plans only.

provider "kubernetes" {
  config_path = var.kubeconfig
}

provider "helm" {
  kubernetes = {
    config_path = var.kubeconfig
  }
}

variables {
  oidc = {
    issuer   = "https://idp.example.com/realms/conexus"
    audience = "https://conexus.example.com/api"
  }
}

run "accepts_the_minimal_configuration" {
  command = plan

  assert {
    condition     = kubernetes_namespace_v1.this[0].metadata[0].labels["pod-security.kubernetes.io/enforce"] == "restricted"
    error_message = "A created namespace should enforce restricted Pod Security."
  }
  assert {
    condition     = yamldecode(helm_release.this.values[0]).auth.oidc.issuer == "https://idp.example.com/realms/conexus"
    error_message = "The OIDC issuer should reach the chart's values."
  }
}

run "refuses_a_namespace_that_is_not_a_dns_label" {
  command = plan
  variables {
    namespace = "Conexus_Prod"
  }
  expect_failures = [var.namespace]
}

run "refuses_a_single_policy_replica" {
  command = plan
  variables {
    replicas = { policy = 1 }
  }
  expect_failures = [var.replicas]
}

run "refuses_missing_oidc_settings" {
  command = plan
  variables {
    oidc = {}
  }
  expect_failures = [var.oidc]
}

run "refuses_an_http_issuer_without_allow_http" {
  command = plan
  variables {
    oidc = {
      issuer   = "http://idp.example.com"
      audience = "conexus"
    }
  }
  expect_failures = [var.oidc]
}

run "refuses_bundled_nats_with_an_external_url" {
  command = plan
  variables {
    nats = { url = "nats://nats.example.com:4222" }
  }
  expect_failures = [var.nats]
}

run "refuses_an_even_nats_cluster" {
  command = plan
  variables {
    nats = { replicas = 2 }
  }
  expect_failures = [var.nats]
}

run "refuses_both_tls_secret_and_pem" {
  command = plan
  variables {
    gateway_tls_secret_name = "gateway-tls"
    gateway_tls_pem         = { certificate = "-----BEGIN CERTIFICATE-----", private_key = "-----BEGIN PRIVATE KEY-----" }
  }
  expect_failures = [var.gateway_tls_pem]
}

run "refuses_an_unpinned_chart_repository" {
  command = plan
  variables {
    chart = { repository = "oci://registry.example.com/charts" }
  }
  expect_failures = [var.chart]
}

run "refuses_a_git_egress_that_is_not_a_cidr" {
  command = plan
  variables {
    indexer = { git_egress_cidrs = ["git.example.com"] }
  }
  expect_failures = [var.indexer]
}
