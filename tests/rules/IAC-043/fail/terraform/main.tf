resource "azurerm_postgresql_server" "no_ssl" {
  name                    = "pg1"
  location                = "eastasia"
  resource_group_name     = "rg"
  sku_name                = "GP_Gen5_2"
  version                 = "11"
  ssl_enforcement_enabled = false
}

resource "azurerm_mysql_server" "ssl" {
  name                    = "my1"
  location                = "eastasia"
  resource_group_name     = "rg"
  sku_name                = "GP_Gen5_2"
  version                 = "8.0"
  ssl_enforcement_enabled = true
}

resource "google_sql_database_instance" "open" {
  name             = "open"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-2-7680"
  }
}

resource "google_sql_database_instance" "encrypted_only" {
  name             = "enc"
  database_version = "POSTGRES_15"
  settings {
    tier = "db-custom-2-7680"
    ip_configuration {
      ssl_mode = "ENCRYPTED_ONLY"
    }
  }
}

resource "aws_db_parameter_group" "force" {
  name   = "force-ssl"
  family = "postgres14"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
}

resource "aws_db_instance" "pg14_forced" {
  engine               = "postgres"
  engine_version       = "14.10"
  instance_class       = "db.t3.micro"
  parameter_group_name = aws_db_parameter_group.force.name
}

resource "aws_db_instance" "mysql_default" {
  engine         = "mysql"
  engine_version = "8.0"
  instance_class = "db.t3.micro"
}

resource "aws_db_instance" "pg16_default" {
  engine         = "postgres"
  engine_version = "16.3"
  instance_class = "db.t3.micro"
}

resource "azurerm_mysql_flexible_server_configuration" "insecure" {
  name                = "require_secure_transport"
  resource_group_name = "rg"
  server_name         = "flex"
  value               = "OFF"
}
