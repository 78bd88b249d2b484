resource "google_storage_bucket" "reports" {
  name     = "reports"
  location = "ASIA-EAST1"
}
