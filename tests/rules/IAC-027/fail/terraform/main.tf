resource "aws_eks_cluster" "default_endpoint" {
  name     = "default-endpoint"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids = ["subnet-0abc", "subnet-0def"]
  }
}

resource "aws_eks_cluster" "office_only" {
  name     = "office-only"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids          = ["subnet-0abc", "subnet-0def"]
    public_access_cidrs = ["203.0.113.0/24"]
  }
}

resource "aws_eks_cluster" "private" {
  name     = "private"
  role_arn = "arn:aws:iam::111122223333:role/eks"
  vpc_config {
    subnet_ids              = ["subnet-0abc", "subnet-0def"]
    endpoint_private_access = true
    endpoint_public_access  = false
  }
}

resource "azurerm_kubernetes_cluster" "open" {
  name                = "aks-open"
  location            = "eastasia"
  resource_group_name = "rg"
  dns_prefix          = "open"
  default_node_pool {
    name       = "default"
    node_count = 2
    vm_size    = "Standard_D2s_v5"
  }
  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_kubernetes_cluster" "ranges" {
  name                = "aks-ranges"
  location            = "eastasia"
  resource_group_name = "rg"
  dns_prefix          = "ranges"
  api_server_access_profile {
    authorized_ip_ranges = ["203.0.113.0/24"]
  }
  default_node_pool {
    name       = "default"
    node_count = 2
    vm_size    = "Standard_D2s_v5"
  }
  identity {
    type = "SystemAssigned"
  }
}

resource "google_container_cluster" "open" {
  name     = "gke-open"
  location = "asia-east1"
}

resource "google_container_cluster" "authorised" {
  name     = "gke-authorised"
  location = "asia-east1"
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "10.0.0.0/8"
      display_name = "corp"
    }
  }
}

resource "google_container_cluster" "world" {
  name     = "gke-world"
  location = "asia-east1"
  master_authorized_networks_config {
    cidr_blocks {
      cidr_block   = "0.0.0.0/0"
      display_name = "all"
    }
  }
}
