variable "subnet_id" {
  type = string
}
