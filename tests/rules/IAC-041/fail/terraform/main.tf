resource "aws_lb_listener" "default_policy" {
  load_balancer_arn = "arn:lb"
  port              = 443
  protocol          = "HTTPS"
  certificate_arn   = "arn:cert"
  default_action {
    type             = "forward"
    target_group_arn = "arn:tg"
  }
}

resource "aws_lb_listener" "tls11_policy" {
  load_balancer_arn = "arn:lb"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS-1-1-2017-01"
  certificate_arn   = "arn:cert"
  default_action {
    type             = "forward"
    target_group_arn = "arn:tg"
  }
}

resource "aws_lb_listener" "modern" {
  load_balancer_arn = "arn:lb"
  port              = 443
  protocol          = "TLS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:cert"
  default_action {
    type             = "forward"
    target_group_arn = "arn:tg"
  }
}

resource "azurerm_linux_web_app" "old_tls" {
  name                = "app"
  location            = "eastasia"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  site_config {
    minimum_tls_version = "1.0"
  }
}

resource "azurerm_storage_account" "tls10" {
  name                     = "sttls10"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  min_tls_version          = "TLS1_0"
}

resource "azurerm_storage_account" "tls_default" {
  name                     = "stdefault"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_mssql_server" "sql12" {
  name                         = "sql"
  resource_group_name          = "rg"
  location                     = "eastasia"
  version                      = "12.0"
  minimum_tls_version          = "1.2"
}

resource "google_compute_ssl_policy" "gcp_default" {
  name    = "default-policy"
  profile = "MODERN"
}

resource "google_compute_ssl_policy" "gcp_12" {
  name            = "tls12"
  profile         = "MODERN"
  min_tls_version = "TLS_1_2"
}

resource "aws_cloudfront_distribution" "cdn_default_cert" {
  enabled = true
  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
