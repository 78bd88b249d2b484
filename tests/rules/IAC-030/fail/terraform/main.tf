resource "aws_cloudtrail" "good" {
  name                       = "org"
  s3_bucket_name             = "trail-bucket"
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "aws_cloudtrail" "single_region" {
  name           = "single"
  s3_bucket_name = "trail-bucket"
}

resource "aws_cloudtrail" "off" {
  name                       = "off"
  s3_bucket_name             = "trail-bucket"
  enable_logging             = false
  is_multi_region_trail      = true
  enable_log_file_validation = true
}

resource "azurerm_monitor_log_profile" "partial" {
  name       = "default"
  categories = ["Write"]
  locations  = ["eastasia"]
  retention_policy {
    enabled = true
    days    = 30
  }
}

resource "azurerm_monitor_diagnostic_setting" "subscription_all" {
  name                       = "activity"
  target_resource_id         = "/subscriptions/00000000-0000-0000-0000-000000000000"
  log_analytics_workspace_id = "ws"
  enabled_log {
    category = "Administrative"
  }
  enabled_log {
    category = "Security"
  }
  enabled_log {
    category = "Policy"
  }
}

resource "azurerm_monitor_diagnostic_setting" "subscription_admin_only" {
  name                       = "activity-admin"
  target_resource_id         = "/subscriptions/00000000-0000-0000-0000-000000000000"
  log_analytics_workspace_id = "ws"
  enabled_log {
    category = "Administrative"
  }
}

resource "google_project_iam_audit_config" "all_services" {
  project = "p"
  service = "allServices"
  audit_log_config {
    log_type = "ADMIN_READ"
  }
  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}

resource "google_project_iam_audit_config" "exempting" {
  project = "p"
  service = "storage.googleapis.com"
  audit_log_config {
    log_type         = "DATA_READ"
    exempted_members = ["user:batch@example.com"]
  }
}

resource "azurerm_monitor_diagnostic_setting" "key_vault" {
  name                       = "kv"
  target_resource_id         = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv"
  log_analytics_workspace_id = "ws"
  enabled_log {
    category = "AuditEvent"
  }
}

data "azurerm_subscription" "current" {}

resource "azurerm_monitor_diagnostic_setting" "subscription_ref" {
  name                       = "activity-ref"
  target_resource_id         = data.azurerm_subscription.current.id
  log_analytics_workspace_id = "ws"
  enabled_log {
    category_group = "allLogs"
  }
}
