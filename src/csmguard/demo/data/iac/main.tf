# 行情備援系統 (market-data standby) on public-cloud IaaS — the demo firm's Terraform.
provider "aws" {
  region = "ap-northeast-1"
}

resource "aws_ebs_volume" "quotes_data" {
  availability_zone = "ap-northeast-1a"
  size              = 200
  encrypted         = true
  tags = {
    data_classification = "confidential"
  }
}

# GAP: the scratch volume holding replayed order books is not encrypted
resource "aws_ebs_volume" "replay_scratch" {
  availability_zone = "ap-northeast-1a"
  size              = 100
}

resource "aws_security_group" "standby_admin" {
  name = "standby-admin"
  # GAP: SSH open to the internet
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_cloudtrail" "org" {
  name                          = "standby-trail"
  s3_bucket_name                = "example-sec-trail"
  enable_logging                = true
  is_multi_region_trail         = true
  enable_log_file_validation    = true
  include_global_service_events = true
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/standby/1"
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:loadbalancer/app/standby/1"
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = "arn:aws:acm:ap-northeast-1:111122223333:certificate/demo"
  default_action {
    type             = "forward"
    target_group_arn = "arn:aws:elasticloadbalancing:ap-northeast-1:111122223333:targetgroup/standby/1"
  }
}
