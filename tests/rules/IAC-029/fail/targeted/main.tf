resource "aws_iam_user" "analyst" {
  name = "analyst"
}

resource "aws_iam_role" "applier" {
  name = "applier"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
  inline_policy {
    name = "attach"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "iam:AttachUserPolicy", Resource = aws_iam_user.analyst.arn }]
    })
  }
}

resource "aws_iam_policy" "own_policies" {
  name = "own-policies"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::*:policy/team-*" }]
  })
}

resource "aws_iam_policy" "aws_managed_only" {
  name = "aws-managed-only"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:CreatePolicyVersion", Resource = "arn:aws:iam::aws:policy/team-*" }]
  })
}

resource "aws_iam_policy" "after_2020" {
  name = "after-2020"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:CreatePolicyVersion"
      Resource  = "*"
      Condition = { DateGreaterThan = { "aws:TokenIssueTime" = "2020-01-01T00:00:01Z" } }
    }]
  })
}

resource "aws_iam_policy" "before_2020" {
  name = "before-2020"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "iam:CreatePolicyVersion"
      Resource  = "*"
      Condition = { DateLessThan = { "aws:TokenIssueTime" = "2020-01-01T00:00:01Z" } }
    }]
  })
}

resource "aws_iam_policy" "assume_named_roles" {
  name = "assume-named"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Resource = "arn:aws:iam::111122223333:role/reader-*" }]
  })
}
