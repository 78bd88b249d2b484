resource "aws_lb_listener" "http_forward" {
  load_balancer_arn = "arn:lb"
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = "arn:tg"
  }
}

resource "aws_lb_listener" "http_redirect" {
  load_balancer_arn = "arn:lb"
  port              = "80"
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:lb"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:cert"
  default_action {
    type             = "forward"
    target_group_arn = "arn:tg"
  }
}

resource "aws_elb" "classic_http" {
  name               = "classic"
  availability_zones = ["ap-northeast-1a"]
  listener {
    instance_port     = 8000
    instance_protocol = "http"
    lb_port           = 80
    lb_protocol       = "http"
  }
}

resource "google_compute_url_map" "redirect" {
  name = "redirect"
  default_url_redirect {
    https_redirect = true
    strip_query    = false
  }
}

resource "google_compute_target_http_proxy" "redirecting" {
  name    = "redirecting"
  url_map = google_compute_url_map.redirect.id
}

resource "google_compute_target_http_proxy" "serving" {
  name    = "serving"
  url_map = google_compute_url_map.app.id
}

resource "google_compute_url_map" "app" {
  name            = "app"
  default_service = "backend"
}
