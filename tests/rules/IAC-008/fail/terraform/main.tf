resource "aws_kms_key" "rotated" {
  enable_key_rotation = true
}

resource "aws_kms_key" "default_off" {
  description = "rotation unset: AWS default is off"
}

resource "aws_kms_key" "turned_off" {
  enable_key_rotation = false
}

resource "aws_kms_key" "signing" {
  customer_master_key_spec = "ECC_NIST_P256"
  key_usage                = "SIGN_VERIFY"
}

variable "rotate" {
  type = bool
}

resource "aws_kms_key" "configurable" {
  enable_key_rotation = var.rotate
}
