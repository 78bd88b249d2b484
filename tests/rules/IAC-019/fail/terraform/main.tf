resource "aws_security_group" "ftp" {
  name = "ftp"
  ingress {
    from_port   = 21
    to_port     = 21
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "nfs_inside" {
  name = "nfs"
  ingress {
    from_port   = 2049
    to_port     = 2049
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/16"]
  }
}

resource "aws_security_group" "smb_region" {
  name = "smb"
  ingress {
    from_port   = 445
    to_port     = 445
    protocol    = "tcp"
    cidr_blocks = ["52.14.0.0/16"]
  }
}

resource "aws_security_group_rule" "kubelet" {
  type              = "ingress"
  from_port         = 10250
  to_port           = 10250
  protocol          = "tcp"
  ipv6_cidr_blocks  = ["::/0"]
  security_group_id = "sg-123"
}

variable "allowed" {
  type = list(string)
}

resource "aws_security_group" "dns_configurable" {
  name = "dns"
  ingress {
    from_port   = 53
    to_port     = 53
    protocol    = "udp"
    cidr_blocks = var.allowed
  }
}

resource "google_compute_firewall" "vnc" {
  name    = "vnc"
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["5900"]
  }
  source_ranges = ["0.0.0.0/0"]
}
