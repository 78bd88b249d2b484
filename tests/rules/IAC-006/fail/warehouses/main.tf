resource "aws_redshift_cluster" "reports" {
  cluster_identifier = "reports"
  node_type          = "ra3.xlplus"
  encrypted          = false
  tags = {
    data-classification = "confidential"
  }
}

resource "aws_redshift_cluster" "scratch" {
  cluster_identifier = "scratch"
  node_type          = "ra3.xlplus"
}

resource "aws_redshift_cluster" "sealed" {
  cluster_identifier = "sealed"
  node_type          = "ra3.xlplus"
  encrypted          = true
}

resource "aws_db_instance" "ledger" {
  engine            = "mysql"
  instance_class    = "db.t3.micro"
  storage_encrypted = false
  tags = {
    Critical = "true"
  }
}

resource "aws_db_snapshot" "ledger_copy" {
  db_instance_identifier = aws_db_instance.ledger.identifier
  db_snapshot_identifier = "ledger-copy"
}

resource "aws_db_snapshot" "elsewhere" {
  db_instance_identifier = "created-by-another-stack"
  db_snapshot_identifier = "elsewhere"
}
