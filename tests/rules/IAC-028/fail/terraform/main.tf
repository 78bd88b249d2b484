resource "azurerm_kubernetes_cluster" "no_rbac" {
  name                              = "aks-no-rbac"
  location                          = "eastasia"
  resource_group_name               = "rg"
  dns_prefix                        = "norbac"
  role_based_access_control_enabled = false
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
}

resource "azurerm_kubernetes_cluster" "rbac" {
  name                = "aks-rbac"
  location            = "eastasia"
  resource_group_name = "rg"
  dns_prefix          = "rbac"
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
}

resource "google_container_cluster" "abac" {
  name               = "gke-abac"
  location           = "asia-east1"
  enable_legacy_abac = true
}

resource "google_container_cluster" "rbac" {
  name     = "gke-rbac"
  location = "asia-east1"
}

resource "google_container_cluster" "configurable" {
  name               = "gke-var"
  location           = "asia-east1"
  enable_legacy_abac = var.abac
}

variable "abac" {
  type = bool
}
