variable "enabled" {
  default = false
}

resource "aws_iam_group" "operators" {
  count = var.enabled ? 1 : 0
  name  = "operators"
}

resource "aws_iam_policy" "everything" {
  count = var.enabled ? 1 : 0
  name  = "everything"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", NotAction = "ec2:*", Resource = "*" }]
  })
}

resource "aws_iam_group_policy_attachment" "operators" {
  count      = var.enabled ? 1 : 0
  group      = aws_iam_group.operators[0].name
  policy_arn = aws_iam_policy.everything[0].arn
}

resource "aws_iam_user" "auditor" {
  name = "auditor"
}

resource "aws_iam_policy" "deny_iam" {
  name = "deny-iam"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Deny", Action = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_policy" "iam_admin" {
  name = "iam-admin"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "iam:*", Resource = "*" }]
  })
}

resource "aws_iam_user_policy_attachment" "auditor_admin" {
  user       = aws_iam_user.auditor.name
  policy_arn = aws_iam_policy.iam_admin.arn
}

resource "aws_iam_user_policy_attachment" "auditor_deny" {
  user       = aws_iam_user.auditor.name
  policy_arn = aws_iam_policy.deny_iam.arn
}
