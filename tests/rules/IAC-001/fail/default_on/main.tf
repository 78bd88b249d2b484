resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}

resource "aws_ebs_volume" "unset_with_default" {
  availability_zone = "ap-northeast-1a"
  size              = 10
}

resource "aws_ebs_volume" "explicitly_off" {
  tags              = { critical = "true" }
  availability_zone = "ap-northeast-1a"
  size              = 10
  encrypted         = false
}
