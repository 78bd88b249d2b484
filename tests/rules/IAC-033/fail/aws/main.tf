resource "aws_guardduty_detector" "off" {
  enable = false
}

resource "aws_guardduty_detector" "on" {
  enable = true
}
