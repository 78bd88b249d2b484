resource "aws_s3_bucket" "website" {
  bucket = "public-site"
  acl    = "public-read"
}

resource "aws_s3_bucket" "records" {
  bucket = "trade-records"
}

resource "aws_s3_bucket_public_access_block" "records" {
  bucket                  = aws_s3_bucket.records.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_public_access_block" "half" {
  bucket              = "reports"
  block_public_acls   = true
  block_public_policy = true
}

resource "aws_s3_bucket_policy" "everyone" {
  bucket = "reports"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::reports/*"
    }]
  })
}

resource "aws_s3_bucket_policy" "vpc_only" {
  bucket = "trade-records"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = "*"
      Action    = "s3:GetObject"
      Resource  = "arn:aws:s3:::trade-records/*"
      Condition = { StringEquals = { "aws:SourceVpce" = "vpce-0abc" } }
    }]
  })
}

resource "azurerm_storage_container" "public" {
  name                  = "downloads"
  storage_account_name  = "stdownloads"
  container_access_type = "blob"
}

resource "azurerm_storage_container" "private" {
  name                 = "statements"
  storage_account_name = "ststatements"
}

resource "google_storage_bucket_iam_member" "anyone" {
  bucket = "gcs-reports"
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}

resource "google_storage_bucket_iam_binding" "team" {
  bucket  = "gcs-reports"
  role    = "roles/storage.objectViewer"
  members = ["group:ops@example.com"]
}

resource "aws_s3_bucket_acl" "configurable" {
  bucket = "configurable"
  acl    = var.acl
}

variable "acl" {
  type = string
}
