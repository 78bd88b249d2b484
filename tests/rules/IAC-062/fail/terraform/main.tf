resource "kubernetes_service_v1" "tf_redis_lb" {
  metadata {
    name = "redis"
  }
  spec {
    type = "LoadBalancer"
    port {
      port        = 6379
      target_port = 6379
    }
  }
}

resource "kubernetes_service" "tf_https_lb" {
  metadata {
    name = "https"
  }
  spec {
    type = "LoadBalancer"
    port {
      port = 443
    }
  }
}
