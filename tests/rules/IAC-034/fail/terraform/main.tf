resource "azurerm_security_center_contact" "muted" {
  email               = "soc@example.com"
  alert_notifications = false
  alerts_to_admins    = true
}

resource "azurerm_security_center_contact" "soc" {
  email               = "soc@example.com"
  alert_notifications = true
  alerts_to_admins    = true
}

resource "aws_cloudwatch_metric_alarm" "root_login_disabled" {
  alarm_name          = "root-login"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "RootAccountUsage"
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  actions_enabled     = false
  alarm_actions       = ["arn:aws:sns:ap-northeast-1:111122223333:security"]
}

resource "aws_cloudwatch_metric_alarm" "no_action" {
  alarm_name          = "console-no-mfa"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "ConsoleSigninWithoutMFA"
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
}

resource "aws_cloudwatch_metric_alarm" "notifying" {
  alarm_name          = "iam-changes"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 1
  metric_name         = "IAMPolicyChanges"
  namespace           = "CISBenchmark"
  period              = 300
  statistic           = "Sum"
  threshold           = 1
  alarm_actions       = ["arn:aws:sns:ap-northeast-1:111122223333:security"]
}

resource "azurerm_mssql_server_security_alert_policy" "nobody" {
  resource_group_name = "rg"
  server_name         = "sql1"
  state               = "Enabled"
}

resource "azurerm_mssql_server_security_alert_policy" "dba" {
  resource_group_name  = "rg"
  server_name          = "sql2"
  state                = "Enabled"
  email_addresses      = ["dba@example.com"]
  email_account_admins = true
}

resource "azurerm_sql_database" "legacy" {
  name                = "legacy"
  resource_group_name = "rg"
  location            = "eastasia"
  server_name         = "sql3"
  threat_detection_policy {
    state                = "Disabled"
    email_account_admins = "Enabled"
  }
}

resource "azurerm_mssql_database" "no_policy" {
  name      = "app"
  server_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/sql2"
}

resource "google_monitoring_alert_policy" "silent" {
  display_name = "iam-changes"
  combiner     = "OR"
  conditions {
    display_name = "iam"
    condition_threshold {
      filter     = "metric.type=\"logging.googleapis.com/user/iam-changes\""
      comparison = "COMPARISON_GT"
      duration   = "0s"
    }
  }
}

resource "google_monitoring_alert_policy" "paged" {
  display_name          = "firewall-changes"
  combiner              = "OR"
  notification_channels = ["projects/p/notificationChannels/123"]
  conditions {
    display_name = "fw"
    condition_threshold {
      filter     = "metric.type=\"logging.googleapis.com/user/fw-changes\""
      comparison = "COMPARISON_GT"
      duration   = "0s"
    }
  }
}
