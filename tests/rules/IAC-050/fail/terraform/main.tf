variable "golden_ami" {
  default = "ami-0123456789abcdef0"
}

data "aws_ami" "ubuntu" {
  most_recent = true
  owners      = ["099720109477"]
  filter {
    name   = "name"
    values = ["ubuntu/images/*"]
  }
}

data "aws_ami" "ours" {
  most_recent = true
  owners      = ["111122223333"]
}

resource "aws_instance" "pinned" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_instance" "pinned_var" {
  ami           = var.golden_ami
  instance_type = "t3.micro"
}

resource "aws_instance" "lookup_foreign" {
  ami           = data.aws_ami.ubuntu.id
  instance_type = "t3.micro"
}

resource "aws_instance" "lookup_allowed" {
  ami           = data.aws_ami.ours.id
  instance_type = "t3.micro"
}

resource "aws_launch_template" "ssm" {
  name     = "ssm"
  image_id = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "azurerm_linux_virtual_machine" "latest" {
  name                  = "vm1"
  resource_group_name   = "rg"
  location              = "eastasia"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = ["nic"]
  source_image_reference {
    publisher = "Canonical"
    offer     = "0001-com-ubuntu-server-jammy"
    sku       = "22_04-lts"
    version   = "latest"
  }
}

resource "azurerm_linux_virtual_machine" "gallery" {
  name                  = "vm2"
  resource_group_name   = "rg"
  location              = "eastasia"
  size                  = "Standard_B2s"
  admin_username        = "azureuser"
  network_interface_ids = ["nic"]
  source_image_id       = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.Compute/galleries/g/images/i/versions/1.0.3"
}

resource "google_compute_instance" "family" {
  name         = "family"
  machine_type = "e2-small"
  zone         = "asia-east1-a"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
}

resource "google_compute_instance" "exact" {
  name         = "exact"
  machine_type = "e2-small"
  zone         = "asia-east1-a"
  boot_disk {
    initialize_params {
      image = "projects/golden-images/global/images/base-v20260101"
    }
  }
}
