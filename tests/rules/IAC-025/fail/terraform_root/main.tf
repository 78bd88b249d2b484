resource "kubernetes_cluster_role_binding_v1" "oncall" {
  metadata {
    name = "oncall-admin"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "cluster-admin"
  }
  subject {
    kind      = "Group"
    name      = "oncall"
    api_group = "rbac.authorization.k8s.io"
  }
}

resource "kubernetes_cluster_role_binding" "viewers" {
  metadata {
    name = "viewers"
  }
  role_ref {
    api_group = "rbac.authorization.k8s.io"
    kind      = "ClusterRole"
    name      = "view"
  }
  subject {
    kind      = "Group"
    name      = "auditors"
    api_group = "rbac.authorization.k8s.io"
  }
}
