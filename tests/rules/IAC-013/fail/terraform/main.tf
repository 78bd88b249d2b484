resource "aws_instance" "imds_default" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
}

resource "aws_instance" "imds_v2" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens   = "required"
    http_endpoint = "enabled"
  }
}

resource "aws_launch_template" "optional_tokens" {
  name = "lt"
  metadata_options {
    http_tokens = "optional"
  }
}

resource "aws_launch_configuration" "endpoint_off" {
  image_id      = "ami-0abcdef1234567890"
  instance_type = "t3.micro"
  metadata_options {
    http_endpoint = "disabled"
  }
}
