resource "azurerm_managed_disk" "default_access" {
  name                 = "d1"
  location             = "eastasia"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 10
}

resource "azurerm_managed_disk" "private_only" {
  name                  = "d2"
  location              = "eastasia"
  resource_group_name   = "rg"
  storage_account_type  = "Premium_LRS"
  create_option         = "Empty"
  disk_size_gb          = 10
  network_access_policy = "AllowPrivate"
  disk_access_id        = "/subscriptions/x/diskAccesses/a"
}

resource "azurerm_managed_disk" "public_off" {
  name                          = "d3"
  location                      = "eastasia"
  resource_group_name           = "rg"
  storage_account_type          = "Premium_LRS"
  create_option                 = "Empty"
  disk_size_gb                  = 10
  public_network_access_enabled = false
}

resource "google_compute_disk_iam_binding" "anyone" {
  name    = "disk"
  role    = "roles/compute.viewer"
  members = ["user:a@example.com", "allUsers"]
}
