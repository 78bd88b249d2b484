resource "aws_sqs_queue" "orders" {
  name = "orders"
}

resource "aws_sqs_queue_policy" "anyone" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = "*", Action = "sqs:*", Resource = aws_sqs_queue.orders.arn }]
  })
}

resource "aws_sqs_queue_policy" "from_topic" {
  queue_url = aws_sqs_queue.orders.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { AWS = "*" }
      Action    = "sqs:SendMessage"
      Resource  = aws_sqs_queue.orders.arn
      Condition = { ArnEquals = { "aws:SourceArn" = "arn:aws:sns:ap-northeast-1:111122223333:orders" } }
    }]
  })
}

data "aws_iam_policy_document" "topic_open" {
  statement {
    actions   = ["SNS:Publish", "SNS:Subscribe"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_sns_topic_policy" "open" {
  arn    = "arn:aws:sns:ap-northeast-1:111122223333:alerts"
  policy = data.aws_iam_policy_document.topic_open.json
}

resource "aws_kms_key" "account_only" {
  description         = "default key policy: the account's principals only"
  enable_key_rotation = true
}

resource "aws_kms_key" "exposed" {
  enable_key_rotation = true
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "kms:*", "Resource": "*",
                 "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]
}
POLICY
}

resource "aws_iam_role" "anyone_with_mfa" {
  name = "open-trust"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = { Bool = { "aws:MultiFactorAuthPresent" = "true" } }
    }]
  })
}

resource "aws_iam_role" "org_only" {
  name = "org-trust"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { AWS = "*" }
      Condition = { StringEquals = { "aws:PrincipalOrgID" = "o-abc123" } }
    }]
  })
}

resource "aws_iam_role" "service" {
  name = "lambda"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

variable "trust_policy_path" {
  type = string
}

resource "aws_iam_role" "from_file" {
  name               = "deployed-trust"
  assume_role_policy = file(var.trust_policy_path)
}

resource "aws_lambda_permission" "public_invoke" {
  action        = "lambda:InvokeFunction"
  function_name = "report"
  principal     = "*"
}

resource "aws_lambda_permission" "from_bucket" {
  action         = "lambda:InvokeFunction"
  function_name  = "report"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::reports"
  source_account = "111122223333"
}
