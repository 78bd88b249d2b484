resource "aws_config_configuration_recorder" "partial" {
  name     = "partial"
  role_arn = "arn:aws:iam::111122223333:role/config"
  recording_group {
    all_supported  = false
    resource_types = ["AWS::EC2::Instance"]
  }
}

resource "aws_config_configuration_recorder" "main" {
  name     = "main"
  role_arn = "arn:aws:iam::111122223333:role/config"
  recording_group {
    all_supported                 = true
    include_global_resource_types = true
  }
}

resource "aws_config_configuration_recorder_status" "main" {
  name       = aws_config_configuration_recorder.main.name
  is_enabled = true
}

resource "aws_config_configuration_recorder" "stopped" {
  name     = "stopped"
  role_arn = "arn:aws:iam::111122223333:role/config"
}

resource "aws_config_configuration_recorder_status" "stopped" {
  name       = aws_config_configuration_recorder.stopped.name
  is_enabled = false
}

resource "aws_config_configuration_recorder" "never_started" {
  name     = "never-started"
  role_arn = "arn:aws:iam::111122223333:role/config"
}
