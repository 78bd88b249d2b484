variable "encrypt_logs" {
  type = bool
}
