resource "aws_elasticsearch_domain" "open" {
  domain_name = "open"
}

resource "aws_opensearch_domain" "sealed" {
  domain_name = "sealed"
  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = "Policy-Min-TLS-1-2-2019-07"
  }
  node_to_node_encryption {
    enabled = true
  }
}

resource "aws_opensearch_domain" "https_only" {
  domain_name = "https-only"
  domain_endpoint_options {
    enforce_https = true
  }
}
