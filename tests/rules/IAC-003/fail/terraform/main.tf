resource "aws_ebs_snapshot" "backup" {
  volume_id = "vol-0123456789abcdef0"
}

resource "aws_snapshot_create_volume_permission" "to_partner" {
  snapshot_id = aws_ebs_snapshot.backup.id
  account_id  = "111122223333"
}

resource "aws_snapshot_create_volume_permission" "to_dr_account" {
  snapshot_id = aws_ebs_snapshot.backup.id
  account_id  = "444455556666"
}

resource "google_compute_snapshot_iam_member" "public" {
  name   = "snap"
  role   = "roles/compute.storageAdmin"
  member = "allUsers"
}

resource "google_compute_snapshot_iam_binding" "team" {
  name    = "snap"
  role    = "roles/compute.storageAdmin"
  members = ["group:ops@example.com"]
}

resource "azurerm_snapshot" "open" {
  name                = "s1"
  location            = "eastasia"
  resource_group_name = "rg"
  create_option       = "Copy"
  source_uri          = "/subscriptions/x/disks/d"
}

resource "azurerm_snapshot" "closed" {
  name                          = "s2"
  location                      = "eastasia"
  resource_group_name           = "rg"
  create_option                 = "Copy"
  source_uri                    = "/subscriptions/x/disks/d"
  public_network_access_enabled = false
  network_access_policy         = "DenyAll"
}
