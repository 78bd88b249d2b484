resource "aws_eks_cluster" "quiet" {
  name     = "quiet"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0abc"]
  }
}

resource "aws_eks_cluster" "partial" {
  name                      = "partial"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = ["api"]
  vpc_config {
    subnet_ids = ["subnet-0abc"]
  }
}

resource "aws_eks_cluster" "logged" {
  name                      = "logged"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  vpc_config {
    subnet_ids = ["subnet-0abc"]
  }
}

resource "google_container_cluster" "no_logging" {
  name            = "gke-no-logging"
  location        = "asia-east1"
  logging_service = "none"
}

resource "google_container_cluster" "default_logging" {
  name     = "gke-logging"
  location = "asia-east1"
}

resource "azurerm_kubernetes_cluster" "audited" {
  name                = "aks-audited"
  location            = "eastasia"
  resource_group_name = "rg"
  dns_prefix          = "audited"
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks_audit" {
  name                       = "aks-audit"
  target_resource_id         = azurerm_kubernetes_cluster.audited.id
  log_analytics_workspace_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"
  enabled_log {
    category = "kube-audit-admin"
  }
}

resource "azurerm_kubernetes_cluster" "metrics_only" {
  name                = "aks-metrics"
  location            = "eastasia"
  resource_group_name = "rg"
  dns_prefix          = "metrics"
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
}

resource "azurerm_monitor_diagnostic_setting" "aks_metrics" {
  name                       = "aks-metrics"
  target_resource_id         = azurerm_kubernetes_cluster.metrics_only.id
  log_analytics_workspace_id = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"
  metric {
    category = "AllMetrics"
  }
}

resource "azurerm_kubernetes_cluster" "unconfigured" {
  name                = "aks-unconfigured"
  location            = "eastasia"
  resource_group_name = "rg"
  dns_prefix          = "unconfigured"
  default_node_pool {
    name       = "default"
    node_count = 1
    vm_size    = "Standard_D2s_v5"
  }
}
