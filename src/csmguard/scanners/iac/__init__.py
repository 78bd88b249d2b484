"""The infrastructure-as-code scanner: Terraform (HCL and plan JSON), CloudFormation and Kubernetes
manifests, read into one resource model and checked against the IAC- rules."""
