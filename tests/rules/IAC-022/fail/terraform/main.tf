resource "aws_iam_policy" "iam_everything" {
  name = "iam-everything"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["iam:*"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy" "s3_everything" {
  name   = "s3-everything"
  role   = "app"
  policy = data.aws_iam_policy_document.s3_all.json
}

data "aws_iam_policy_document" "s3_all" {
  statement {
    actions   = ["s3:*", "ec2:Describe*"]
    resources = ["*"]
  }
}

resource "aws_iam_user_policy" "full_admin" {
  name   = "admin"
  user   = "ops"
  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
}
POLICY
}

resource "aws_iam_policy" "scoped_s3" {
  name = "scoped-s3"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["s3:*"]
      Resource = ["arn:aws:s3:::trade-reports", "arn:aws:s3:::trade-reports/*"]
    }]
  })
}

resource "aws_iam_policy" "read_describe" {
  name = "describe"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["ec2:Describe*", "s3:GetObject"]
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "deny_all_iam" {
  name = "deny-iam"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Deny"
      Action   = "iam:*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_policy" "from_file" {
  name   = "from-file"
  policy = file("${path.module}/policy.json")
}

resource "aws_iam_policy" "allow_then_deny" {
  name = "allow-then-deny"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Action = "iam:*", Effect = "Allow", Resource = "*" },
      { Action = "iam:*", Effect = "Deny", Resource = "*" },
    ]
  })
}
