resource "kubernetes_deployment_v1" "tf_latest" {
  metadata {
    name = "tf-latest"
  }
  spec {
    template {
      metadata {
        labels = { app = "web" }
      }
      spec {
        container {
          name  = "web"
          image = "nginx"
        }
      }
    }
  }
}

resource "kubernetes_cron_job_v1" "tf_pinned" {
  metadata {
    name = "tf-pinned"
  }
  spec {
    schedule = "0 1 * * *"
    job_template {
      metadata {}
      spec {
        template {
          metadata {}
          spec {
            container {
              name  = "report"
              image = "registry.example.com/report:2026.11"
            }
          }
        }
      }
    }
  }
}
