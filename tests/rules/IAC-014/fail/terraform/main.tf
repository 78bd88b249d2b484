resource "aws_subnet" "public" {
  vpc_id                  = "vpc-0abc"
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id     = "vpc-0abc"
  cidr_block = "10.0.2.0/24"
}

resource "aws_instance" "bastion" {
  ami                         = "ami-0123456789abcdef0"
  instance_type               = "t3.micro"
  associate_public_ip_address = true
}

resource "aws_instance" "in_public_subnet" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.public.id
}

resource "aws_instance" "app" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.private.id
}

resource "aws_instance" "elsewhere" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "t3.micro"
  subnet_id     = var.subnet_id
}

resource "aws_launch_template" "web" {
  name = "web"
  network_interfaces {
    associate_public_ip_address = false
  }
}

resource "azurerm_public_ip" "vm" {
  name                = "pip-vm"
  resource_group_name = "rg"
  location            = "eastasia"
  allocation_method   = "Static"
}

resource "azurerm_network_interface" "exposed" {
  name                = "nic-exposed"
  resource_group_name = "rg"
  location            = "eastasia"
  ip_configuration {
    name                          = "primary"
    subnet_id                     = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
    private_ip_address_allocation = "Dynamic"
    public_ip_address_id          = azurerm_public_ip.vm.id
  }
}

resource "azurerm_network_interface" "internal" {
  name                = "nic-internal"
  resource_group_name = "rg"
  location            = "eastasia"
  ip_configuration {
    name                          = "primary"
    subnet_id                     = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v/subnets/s"
    private_ip_address_allocation = "Dynamic"
  }
}

resource "google_compute_instance" "external" {
  name         = "external"
  machine_type = "e2-small"
  zone         = "asia-east1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12-bookworm-v20240110"
    }
  }
  network_interface {
    network = "default"
    access_config {}
  }
}

resource "google_compute_instance" "internal" {
  name         = "internal"
  machine_type = "e2-small"
  zone         = "asia-east1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12-bookworm-v20240110"
    }
  }
  network_interface {
    network = "default"
  }
}
