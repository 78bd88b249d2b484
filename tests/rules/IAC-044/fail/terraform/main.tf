resource "azurerm_app_service" "legacy_default" {
  name                = "legacy"
  location            = "eastasia"
  resource_group_name = "rg"
  app_service_plan_id = "plan"
}

resource "azurerm_linux_web_app" "all_allowed" {
  name                = "ftp"
  location            = "eastasia"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  site_config {
    ftps_state = "AllAllowed"
  }
}

resource "azurerm_windows_web_app" "ftps_only" {
  name                = "ftps"
  location            = "eastasia"
  resource_group_name = "rg"
  service_plan_id     = "plan"
  site_config {
    ftps_state = "FtpsOnly"
  }
}

resource "aws_transfer_server" "ftp" {
  protocols              = ["FTP", "FTPS"]
  identity_provider_type = "API_GATEWAY"
}

resource "aws_transfer_server" "sftp" {
  identity_provider_type = "SERVICE_MANAGED"
}
