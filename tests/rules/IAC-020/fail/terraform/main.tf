resource "aws_iam_policy" "admin_json" {
  name   = "admin"
  policy = <<EOT
{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
}
EOT
}

resource "aws_iam_policy" "admin_jsonencode" {
  name = "admin2"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["*"]
      Resource = "*"
    }]
  })
}

data "aws_iam_policy_document" "wild" {
  statement {
    actions   = ["*"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "from_document" {
  name   = "wild"
  role   = "r"
  policy = data.aws_iam_policy_document.wild.json
}

resource "aws_iam_policy" "read_only" {
  name = "s3-read"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = "arn:aws:s3:::bucket/*" }]
  })
}

resource "aws_iam_policy" "deny_all" {
  name = "deny"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "from_file" {
  name   = "file"
  policy = file("policy.json")
}

resource "azurerm_role_definition" "owner_like" {
  name  = "owner-like"
  scope = "/subscriptions/x"
  permissions {
    actions = ["*"]
  }
}

resource "azurerm_role_definition" "reader_like" {
  name  = "reader-like"
  scope = "/subscriptions/x"
  permissions {
    actions = ["Microsoft.Resources/subscriptions/resourceGroups/read"]
  }
}
