resource "aws_subnet" "public" {
  vpc_id                  = "vpc-0abc"
  cidr_block              = "10.0.1.0/24"
  map_public_ip_on_launch = true
}

resource "aws_subnet" "private" {
  vpc_id     = "vpc-0abc"
  cidr_block = "10.0.2.0/24"
}

resource "aws_subnet" "configurable" {
  vpc_id                  = "vpc-0abc"
  cidr_block              = "10.0.3.0/24"
  map_public_ip_on_launch = var.public
}

variable "public" {
  type = bool
}
