resource "google_storage_bucket" "data" {
  name     = "data"
  location = "ASIA"
}

resource "google_project_iam_audit_config" "audit" {
  project = "p"
  service = "allServices"
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
