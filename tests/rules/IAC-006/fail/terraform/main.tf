resource "aws_db_instance" "ledger_plain" {
  engine         = "postgres"
  instance_class = "db.r6g.large"
  tags = {
    data-classification = "confidential"
  }
}

resource "aws_db_instance" "ledger_encrypted" {
  engine            = "postgres"
  instance_class    = "db.r6g.large"
  storage_encrypted = true
  kms_key_id        = "arn:aws:kms:ap-northeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  tags = {
    data-classification = "confidential"
  }
}

resource "aws_db_instance" "untagged" {
  engine            = "mysql"
  instance_class    = "db.t3.micro"
  storage_encrypted = false
}

resource "aws_db_instance" "public_catalogue" {
  engine         = "mysql"
  instance_class = "db.t3.micro"
  tags = {
    data-classification = "public"
  }
}

resource "aws_db_instance" "replica" {
  replicate_source_db = aws_db_instance.ledger_encrypted.identifier
  instance_class      = "db.r6g.large"
}

resource "aws_rds_cluster" "orders" {
  engine            = "aurora-postgresql"
  storage_encrypted = true
}

resource "aws_neptune_cluster" "graph" {
  engine = "neptune"
  tags   = { Critical = "true" }
}

resource "aws_opensearch_domain" "logs" {
  domain_name = "logs"
  encrypt_at_rest {
    enabled = var.encrypt_logs
  }
}

resource "aws_elasticsearch_domain" "search" {
  domain_name = "search"
  encrypt_at_rest {
    enabled = false
  }
  tags = { sensitivity = "restricted" }
}

resource "aws_dax_cluster" "quotes_cache" {
  cluster_name       = "quotes"
  iam_role_arn       = "arn:aws:iam::111122223333:role/dax"
  node_type          = "dax.r5.large"
  replication_factor = 1
}
