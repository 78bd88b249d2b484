resource "aws_security_group" "postgres_world" {
  name = "pg"
  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "postgres_app" {
  name = "pg-app"
  ingress {
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = ["sg-app"]
  }
}

resource "aws_security_group" "ssh_only" {
  name = "ssh"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "azurerm_network_security_rule" "sql_star" {
  name                        = "sql"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "1433"
  source_address_prefix       = "*"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = "nsg"
}

resource "google_compute_firewall" "redis_mongo" {
  name    = "data"
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["6379", "27000-27100"]
  }
}

resource "aws_security_group" "db_from_variable" {
  name = "db-var"
  ingress {
    from_port   = 3306
    to_port     = 3306
    protocol    = "tcp"
    cidr_blocks = var.undeclared_cidrs
  }
}

resource "aws_security_group" "web_from_variable" {
  name = "web-var"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.undeclared_cidrs
  }
}
