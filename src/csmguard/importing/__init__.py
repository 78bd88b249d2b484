"""Findings of the tools firms already run (MobSF, mobsfscan, Checkov, Prowler, Trivy, gitleaks, AWS Security
Hub ASFF, any SARIF 2.1.0), read from their reports and mapped to the guideline's clauses by mapping files kept
as data (``csmguard/mappings/<tool>.yaml``)."""
