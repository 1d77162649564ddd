# Reads back what an install created, for the module's tests to assert on: the namespace's labels, the
# release's pods and the gateway Deployment's pod template. Used by the module's tests only.
data "kubernetes_namespace_v1" "this" {
  metadata {
    name = var.namespace
  }
}

data "kubernetes_resources" "pods" {
  api_version    = "v1"
  kind           = "Pod"
  namespace      = var.namespace
  label_selector = "app.kubernetes.io/instance=${var.release_name}"
}

data "kubernetes_resource" "gateway" {
  api_version = "apps/v1"
  kind        = "Deployment"

  metadata {
    name      = "${var.release_name}-gateway"
    namespace = var.namespace
  }
}

locals {
  # why: the chart's helm-test pod is not part of a running release.
  service_pods = [for pod in data.kubernetes_resources.pods.objects : pod if pod.metadata.labels["app.kubernetes.io/component"] != "test"]
  gateway_pod  = data.kubernetes_resource.gateway.object.spec.template.spec
}
