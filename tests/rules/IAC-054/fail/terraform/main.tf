resource "aws_ecr_repository" "default_mutable" {
  name = "trading-api"
}

resource "aws_ecr_repository" "mutable" {
  name                 = "batch"
  image_tag_mutability = "MUTABLE"
}

resource "aws_ecr_repository" "immutable" {
  name                 = "gateway"
  image_tag_mutability = "IMMUTABLE"
}
