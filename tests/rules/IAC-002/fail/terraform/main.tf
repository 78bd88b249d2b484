resource "aws_ebs_volume" "critical_no_cmk" {
  availability_zone = "ap-northeast-1a"
  size              = 100
  encrypted         = true
  tags = {
    Critical = "true"
  }
}

resource "aws_ebs_volume" "critical_cmk" {
  availability_zone = "ap-northeast-1a"
  size              = 100
  encrypted         = true
  kms_key_id        = aws_kms_key.disks.arn
  tags = {
    data-classification = "confidential"
  }
}

resource "aws_ebs_volume" "ordinary" {
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = true
}

resource "aws_kms_key" "disks" {
  description = "disks"
}

resource "google_compute_disk" "ledger" {
  name   = "ledger"
  zone   = "asia-east1-a"
  labels = { criticality = "high" }
}

resource "google_compute_disk" "ledger_cmek" {
  name   = "ledger-cmek"
  zone   = "asia-east1-a"
  labels = { criticality = "high" }
  disk_encryption_key {
    kms_key_self_link = "projects/p/locations/asia-east1/keyRings/r/cryptoKeys/k"
  }
}

resource "azurerm_managed_disk" "trades" {
  name                 = "trades"
  location             = "eastasia"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 10
  tags                 = { Critical = "yes" }
}
