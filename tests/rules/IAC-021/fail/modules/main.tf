module "team" {
  source  = "./team"
  enabled = true
}
