"""Checks on encryption keys and encryption defaults: KMS keys without automatic rotation, EBS
encryption by default turned off (CSM-7.5, good practice)."""

from __future__ import annotations

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, NOT_APPLICABLE, PASS, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions
from csmguard.scanners.iac.values import as_bool, is_expression


def keys_not_rotated(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-008: customer-managed symmetric KMS keys without automatic rotation (asymmetric and HMAC keys
    cannot rotate automatically: not applicable)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        a = r.attributes
        cfn = r.type.startswith("AWS::")
        spec = a.get("KeySpec" if cfn else "customer_master_key_spec", "SYMMETRIC_DEFAULT")
        usage = a.get("KeyUsage" if cfn else "key_usage", "ENCRYPT_DECRYPT")
        attribute = "EnableKeyRotation" if cfn else "enable_key_rotation"
        rotation = a.get(attribute)
        if is_expression(spec) or is_expression(usage):
            out.append(unresolved(rule, r, "customer_master_key_spec", spec if is_expression(spec) else usage))
        elif str(spec).upper() != "SYMMETRIC_DEFAULT" or str(usage).upper() != "ENCRYPT_DECRYPT":
            out.append(verdict(rule, r, NOT_APPLICABLE, "not_symmetric", {"spec": spec, "usage": usage}))
        elif is_expression(rotation):
            out.append(unresolved(rule, r, attribute, rotation))
        elif as_bool(rotation) is True:
            out.append(verdict(rule, r, PASS, "rotated", {"attribute": attribute}))
        else:
            shown = rule.render("unset_default_false", {}) if rotation is None else str(rotation)
            out.append(verdict(rule, r, FAIL, "never_rotated", {"attribute": attribute, "value": shown}, key=attribute))
    return out


def disk_encryption_default_off(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-009: EBS encryption by default turned off for the region (``enabled = false``)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        enabled = r.attributes.get("enabled")
        if is_expression(enabled):
            out.append(unresolved(rule, r, "enabled", enabled))
        elif enabled is not None and as_bool(enabled) is False:
            out.append(verdict(rule, r, FAIL, "default_off", key="enabled"))
        else:
            out.append(verdict(rule, r, PASS, "default_on"))
    return out
