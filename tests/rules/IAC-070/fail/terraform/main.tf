resource "aws_db_instance" "ledger_no_backup" {
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  backup_retention_period = 0
  tags = {
    Critical = "true"
  }
}

resource "aws_db_instance" "ledger_backed_up" {
  engine                  = "postgres"
  instance_class          = "db.r6g.large"
  backup_retention_period = 14
  multi_az                = true
  tags = {
    Critical = "true"
  }
}

resource "aws_db_instance" "scratch" {
  engine                  = "postgres"
  instance_class          = "db.t3.micro"
  backup_retention_period = 0
}

resource "aws_s3_bucket" "records" {
  bucket = "trade-records"
  tags = {
    criticality = "high"
  }
}

resource "aws_s3_bucket_versioning" "records" {
  bucket = aws_s3_bucket.records.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "reports" {
  bucket = "reports"
  tags = {
    data-classification = "confidential"
  }
}

resource "google_sql_database_instance" "orders" {
  name             = "orders"
  database_version = "POSTGRES_15"
  settings {
    tier        = "db-custom-2-7680"
    user_labels = { critical = "true" }
    backup_configuration {
      enabled = true
    }
  }
}

resource "azurerm_storage_account" "archive" {
  name                     = "starchive"
  resource_group_name      = "rg"
  location                 = "eastasia"
  account_tier             = "Standard"
  account_replication_type = "GRS"
  tags                     = { Critical = "true" }
}

resource "aws_rds_cluster" "positions" {
  engine                  = "aurora-postgresql"
  backup_retention_period = 0
  tags                    = { criticality = "critical" }
}

resource "aws_dynamodb_table" "sessions" {
  name         = "sessions"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  tags         = { Critical = "false" }
}

resource "aws_dynamodb_table" "quotes" {
  name         = "quotes"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  point_in_time_recovery {
    enabled = true
  }
}
