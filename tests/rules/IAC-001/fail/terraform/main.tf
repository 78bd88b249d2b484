variable "encrypt" {
  default = true
}

resource "aws_ebs_volume" "plain" {
  tags = { data-classification = "confidential" }
  availability_zone = "ap-northeast-1a"
  size              = 40
}

resource "aws_ebs_volume" "encrypted" {
  availability_zone = "ap-northeast-1a"
  size              = 40
  encrypted         = true
}

resource "aws_ebs_volume" "from_var" {
  availability_zone = "ap-northeast-1a"
  size              = 40
  encrypted         = var.encrypt
}

resource "aws_ebs_volume" "from_tfvars" {
  tags = { data-classification = "confidential" }
  availability_zone = "ap-northeast-1a"
  size              = 40
  encrypted         = var.data_encrypted
}

variable "data_encrypted" {
  default = true
}

resource "aws_ebs_volume" "unknown" {
  availability_zone = "ap-northeast-1a"
  size              = 40
  encrypted         = data.external.policy.result.encrypt
}

resource "aws_instance" "root_unencrypted" {
  tags = { data-classification = "confidential" }
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = false
  }
}

resource "aws_instance" "all_encrypted" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  root_block_device {
    encrypted = true
  }
  ebs_block_device {
    device_name = "/dev/sdf"
    encrypted   = true
  }
}

resource "aws_launch_template" "lt_plain" {
  tags = { data-classification = "confidential" }
  name = "plain"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 20
    }
  }
}

resource "aws_launch_template" "lt_encrypted" {
  name = "enc"
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size = 20
      encrypted   = "true"
    }
  }
}

resource "aws_ebs_snapshot" "of_plain" {
  volume_id = aws_ebs_volume.plain.id
}

resource "aws_ebs_snapshot" "of_encrypted" {
  volume_id = aws_ebs_volume.encrypted.id
}

resource "azurerm_managed_disk" "ade_off" {
  tags = { data-classification = "confidential" }
  name                 = "d1"
  location             = "eastasia"
  resource_group_name  = "rg"
  storage_account_type = "Premium_LRS"
  create_option        = "Empty"
  disk_size_gb         = 10
  encryption_settings {
    enabled = false
  }
}

# CSM-7.5 asks encryption of disks holding sensitive data: untagged, an unencrypted disk is undecided;
# tagged as not sensitive, the provision does not apply to it.
resource "aws_ebs_volume" "untagged_plain" {
  availability_zone = "ap-northeast-1a"
  size              = 40
}

resource "aws_ebs_volume" "public_plain" {
  availability_zone = "ap-northeast-1a"
  size              = 40
  tags              = { data-classification = "public" }
}

resource "aws_ebs_snapshot" "of_public" {
  volume_id = aws_ebs_volume.public_plain.id
}
