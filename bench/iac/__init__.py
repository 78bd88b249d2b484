"""IaC benchmark: CSM Guard's ``scan iac`` against Checkov 3 on one generated corpus (``python -m bench.iac``)."""
