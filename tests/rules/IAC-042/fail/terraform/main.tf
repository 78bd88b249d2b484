resource "azurerm_windows_web_app" "http_ok" {
  name                = "app1"
  location            = "eastasia"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  site_config {}
}

resource "azurerm_linux_web_app" "https_only" {
  name                = "app2"
  location            = "eastasia"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  https_only          = true
  site_config {}
}

resource "azurerm_storage_account" "http_allowed" {
  name                      = "sthttp"
  resource_group_name       = "rg"
  location                  = "eastasia"
  account_tier              = "Standard"
  account_replication_type  = "LRS"
  enable_https_traffic_only = false
}

resource "azurerm_storage_account" "https_default" {
  name                     = "sthttps"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "aws_cloudfront_distribution" "allow_all" {
  enabled = true
  default_cache_behavior {
    target_origin_id       = "o"
    viewer_protocol_policy = "allow-all"
  }
}

resource "aws_cloudfront_distribution" "redirect" {
  enabled = true
  default_cache_behavior {
    target_origin_id       = "o"
    viewer_protocol_policy = "redirect-to-https"
  }
}
