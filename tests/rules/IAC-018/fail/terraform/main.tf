resource "aws_db_instance" "public" {
  engine              = "postgres"
  instance_class      = "db.t3.micro"
  publicly_accessible = true
}

resource "aws_db_instance" "private" {
  engine         = "postgres"
  instance_class = "db.t3.micro"
}

resource "aws_redshift_cluster" "warehouse" {
  cluster_identifier  = "warehouse"
  node_type           = "ra3.xlplus"
  publicly_accessible = false
}

resource "aws_redshift_cluster" "defaulted" {
  cluster_identifier = "defaulted"
  node_type          = "ra3.xlplus"
}

resource "aws_dms_replication_instance" "migration" {
  replication_instance_id    = "migration"
  replication_instance_class = "dms.t3.medium"
}

resource "aws_mq_broker" "orders" {
  broker_name         = "orders"
  engine_type         = "ActiveMQ"
  engine_version      = "5.17.6"
  host_instance_type  = "mq.t3.micro"
  publicly_accessible = true
}
