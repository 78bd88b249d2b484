resource "aws_iam_user" "ops" {
  name = "ops"
}

resource "aws_iam_group" "operators" {
  name = "operators"
}

resource "aws_iam_user_policy" "ops_inline" {
  name = "ops-inline"
  user = aws_iam_user.ops.name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "s3:GetObject", Resource = "*" }]
  })
}

resource "aws_iam_user_policy_attachment" "ops_readonly" {
  user       = aws_iam_user.ops.name
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy_attachment" "mixed" {
  name       = "mixed"
  users      = [aws_iam_user.ops.name]
  groups     = [aws_iam_group.operators.name]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}

resource "aws_iam_policy_attachment" "groups_only" {
  name       = "groups-only"
  groups     = [aws_iam_group.operators.name]
  policy_arn = "arn:aws:iam::aws:policy/ReadOnlyAccess"
}
