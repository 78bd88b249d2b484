resource "google_compute_instance" "console" {
  name         = "console"
  machine_type = "e2-small"
  zone         = "asia-east1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12-bookworm-v20240110"
    }
  }
  network_interface {
    network = "default"
  }
  metadata = {
    serial-port-enable = "TRUE"
  }
}

resource "google_compute_instance" "plain" {
  name         = "plain"
  machine_type = "e2-small"
  zone         = "asia-east1-b"
  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12-bookworm-v20240110"
    }
  }
  network_interface {
    network = "default"
  }
  metadata = {
    enable-oslogin = "TRUE"
  }
}

resource "google_compute_project_metadata" "project" {
  metadata = {
    serial-port-enable = false
  }
}

resource "aws_ec2_serial_console_access" "account" {
  enabled = true
}
