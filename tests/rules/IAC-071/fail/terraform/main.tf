resource "aws_db_instance" "ledger_single_az" {
  engine         = "postgres"
  instance_class = "db.r6g.large"
  tags = {
    Critical = "true"
  }
}

resource "aws_db_instance" "ledger_multi_az" {
  engine         = "postgres"
  instance_class = "db.r6g.large"
  multi_az       = true
  tags = {
    Critical = "true"
  }
}

resource "aws_db_instance" "scratch" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

resource "aws_s3_bucket" "records" {
  bucket = "trade-records"
  tags = {
    criticality = "high"
  }
}

resource "aws_s3_bucket_replication_configuration" "records" {
  bucket = aws_s3_bucket.records.id
  role   = "arn:aws:iam::111122223333:role/replication"
  rule {
    status = "Enabled"
    destination {
      bucket = "arn:aws:s3:::trade-records-dr"
    }
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports"
  tags = {
    Critical = "true"
  }
}

resource "azurerm_storage_account" "local_only" {
  name                     = "stlocal"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "LRS"
  tags                     = { Critical = "true" }
}

resource "azurerm_storage_account" "geo" {
  name                     = "stgeo"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "RAGZRS"
  tags                     = { Critical = "true" }
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_15"
  settings {
    tier        = "db-custom-2-7680"
    user_labels = { critical = "true" }
  }
}

resource "google_storage_bucket" "regional" {
  name     = "regional"
  location = "ASIA-EAST1"
  labels   = { critical = "true" }
}

resource "google_storage_bucket" "multi" {
  name     = "multi"
  location = "ASIA"
  labels   = { critical = "true" }
}

resource "azurerm_postgresql_server" "clients" {
  name                         = "pg-clients"
  location                     = "eastasia"
  resource_group_name          = "rg"
  sku_name                     = "GP_Gen5_4"
  version                      = "11"
  ssl_enforcement_enabled      = true
  geo_redundant_backup_enabled = false
  tags                         = { Critical = "true" }
}

resource "azurerm_postgresql_flexible_server" "orders" {
  name                         = "pgf-orders"
  location                     = "eastasia"
  resource_group_name          = "rg"
  sku_name                     = "GP_Standard_D2s_v3"
  geo_redundant_backup_enabled = true
  tags                         = { Critical = "true" }
}
