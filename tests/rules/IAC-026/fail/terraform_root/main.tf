resource "kubernetes_cluster_role_v1" "all_resources" {
  metadata {
    name = "all-resources-read"
  }
  rule {
    api_groups = [""]
    resources  = ["*"]
    verbs      = ["get", "list"]
  }
}

resource "kubernetes_role" "deployer" {
  metadata {
    name      = "deployer"
    namespace = "trading"
  }
  rule {
    api_groups = ["apps"]
    resources  = ["deployments"]
    verbs      = ["get", "list", "update", "patch"]
  }
}
