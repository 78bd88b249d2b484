resource "aws_ebs_encryption_by_default" "on" {
  enabled = true
}

resource "aws_ebs_encryption_by_default" "implicit" {
}

variable "flags" {
  default = { encrypt = false }
}

resource "aws_ebs_encryption_by_default" "off" {
  enabled = var.flags.encrypt
}

variable "unknown_flag" {
  type = bool
}

resource "aws_ebs_encryption_by_default" "conditional" {
  enabled = var.unknown_flag ? true : false
}
