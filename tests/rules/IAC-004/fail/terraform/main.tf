resource "aws_ami_launch_permission" "public" {
  image_id = "ami-12345678"
  group    = "all"
}

resource "aws_ami_launch_permission" "stranger" {
  image_id   = "ami-12345678"
  account_id = "999988887777"
}

resource "aws_ami_launch_permission" "org" {
  image_id         = "ami-12345678"
  organization_arn = "arn:aws:organizations::111122223333:organization/o-abc"
}

resource "aws_ami_launch_permission" "known" {
  image_id   = "ami-12345678"
  account_id = "444455556666"
}

data "google_iam_policy" "public_image" {
  binding {
    role    = "roles/compute.imageUser"
    members = ["allAuthenticatedUsers"]
  }
}

resource "google_compute_image_iam_policy" "via_policy" {
  image       = "golden"
  policy_data = data.google_iam_policy.public_image.policy_data
}

resource "google_compute_image_iam_member" "one_user" {
  image  = "golden"
  role   = "roles/compute.imageUser"
  member = "user:ops@example.com"
}

resource "azurerm_shared_image_gallery" "community" {
  name                = "gallery"
  resource_group_name = "rg"
  location            = "eastasia"
  sharing {
    permission = "Community"
  }
}

resource "aws_imagebuilder_distribution_configuration" "public_distribution" {
  name = "public"
  distribution {
    region = "ap-northeast-1"
    ami_distribution_configuration {
      launch_permission {
        user_groups = ["all"]
      }
    }
  }
}

resource "aws_imagebuilder_distribution_configuration" "internal_distribution" {
  name = "internal"
  distribution {
    region = "ap-northeast-1"
    ami_distribution_configuration {
      launch_permission {
        user_ids = ["444455556666"]
      }
    }
  }
}
