resource "azurerm_mssql_firewall_rule" "everyone" {
  name             = "everyone"
  server_id        = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Sql/servers/sql1"
  start_ip_address = "0.0.0.0"
  end_ip_address   = "255.255.255.255"
}

resource "azurerm_postgresql_firewall_rule" "office" {
  name                = "office"
  resource_group_name = "rg"
  server_name         = "pg1"
  start_ip_address    = "203.0.113.10"
  end_ip_address      = "203.0.113.20"
}

resource "azurerm_mysql_flexible_server_firewall_rule" "azure_services" {
  name                = "AllowAllAzureServices"
  resource_group_name = "rg"
  server_name         = "my1"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "0.0.0.0"
}

resource "azurerm_sql_firewall_rule" "half_internet" {
  name                = "wide"
  resource_group_name = "rg"
  server_name         = "sql2"
  start_ip_address    = "0.0.0.0"
  end_ip_address      = "127.255.255.255"
}

resource "google_sql_database_instance" "open" {
  name             = "open"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled = true
      authorized_networks {
        name  = "all"
        value = "0.0.0.0/0"
      }
    }
  }
}

resource "google_sql_database_instance" "private" {
  name             = "private"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-f1-micro"
    ip_configuration {
      ipv4_enabled    = false
      private_network = "projects/p/global/networks/default"
    }
  }
}
