resource "kubernetes_pod" "tf_privileged" {
  metadata {
    name = "tf-privileged"
  }
  spec {
    host_network = true
    container {
      name  = "agent"
      image = "agent:1.0"
      security_context {
        privileged = true
      }
    }
  }
}

resource "kubernetes_daemonset" "tf_plain" {
  metadata {
    name = "tf-plain"
  }
  spec {
    selector {
      match_labels = { app = "x" }
    }
    template {
      metadata {}
      spec {
        container {
          name  = "x"
          image = "x:1"
        }
      }
    }
  }
}
