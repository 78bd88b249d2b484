resource "aws_iam_policy" "new_version" {
  name = "new-version"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "iam:CreatePolicyVersion", Effect = "Allow", Resource = "*" }]
  })
}

resource "aws_iam_policy" "pass_any_role" {
  name = "pass-any-role"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = ["iam:PassRole", "ec2:RunInstances"], Effect = "Allow", Resource = "*" }]
  })
}

resource "aws_iam_policy" "wildcard_arn" {
  name = "wildcard-arn"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "iam:Attach*", Effect = "Allow", Resource = "arn:aws:iam::*:user/*" }]
  })
}

resource "aws_iam_policy" "not_action" {
  name = "not-action"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ NotAction = ["iam:Update*", "iam:Create*"], Effect = "Allow", Resource = "*" }]
  })
}

resource "aws_iam_policy" "allow_and_deny" {
  name = "allow-and-deny"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Action = "iam:*", Effect = "Allow", Resource = "*" },
      { Action = "iam:*", Effect = "Deny", Resource = "*" },
    ]
  })
}

resource "aws_iam_policy" "one_role" {
  name = "one-role"
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Action   = "iam:PassRole"
      Effect   = "Allow"
      Resource = "arn:aws:iam::111122223333:role/app-runtime"
    }]
  })
}

resource "aws_iam_policy" "read_only" {
  name = "read-only"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = ["iam:Get*", "iam:List*"], Effect = "Allow", Resource = "*" }]
  })
}

resource "aws_iam_role_policy" "from_file" {
  name   = "from-file"
  role   = "app"
  policy = file("policy.json")
}

resource "aws_iam_policy" "own_prefix" {
  name = "own-prefix"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Action = "iam:CreatePolicyVersion", Effect = "Allow", Resource = "arn:aws:iam::111122223333:policy/app-*" }]
  })
}
