terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    bucket = "state"
    key    = "prod/terraform.tfstate"
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

resource "aws_instance" "x" {
  for_each      = toset(["a", "b"])
  ami           = each.value == "a" ? "ami-1" : "ami-2"
  instance_type = "t3.micro"
  provider      = aws.west
  depends_on    = [aws_s3_bucket.b]
  subnet_id     = aws_subnet.s[*].id
  user_data     = "%{ if var.debug }debug%{ endif }"
  tags = merge(var.tags, {
    Name = "x-${each.key}"   # comment
  })
  lifecycle {
    ignore_changes = [tags, ami]
  }
  vpc_security_group_ids = [
    aws_security_group.a.id, # first
    aws_security_group.b.id,
  ]
  ebs_optimized = !var.cheap
  cpu_core_count = var.cores * 2
  name_map = { for k, v in var.m : k => v }
  items    = [for s in var.list : upper(s)]
  nested = lookup(var.m, "k",
    "default")
}
