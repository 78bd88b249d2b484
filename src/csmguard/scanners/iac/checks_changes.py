"""Checks on the record of changes and the integrity of images: the AWS Config recorder off or not
recording every resource type, and ECR repositories whose image tags can be overwritten (CSM-7.1)."""

from __future__ import annotations

from csmguard.domain import Finding
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, MANUAL, PASS, resources, rule_types, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import as_bool, as_list, dig, is_expression, reference


def _statuses(rule: Rule, facts: IacFacts, recorder: Resource) -> list[Resource]:
    name = recorder.attributes.get("name")
    out = []
    for status in resources(rule, facts, "aws_config_configuration_recorder_status"):
        value = status.attributes.get("name")
        if status.scope == recorder.scope and (reference(status, value) == recorder.address or (
                name is not None and value == name)):
            out.append(status)
    return out


def _recorder(rule: Rule, facts: IacFacts, r: Resource) -> Finding:
    a = r.attributes
    if r.type == "aws_config_configuration_recorder_status":
        value = a.get("is_enabled")
        if is_expression(value):
            return unresolved(rule, r, "is_enabled", value)
        if as_bool(value) is not True:
            return verdict(rule, r, FAIL, "configuration_recorder_stopped_enabled", key="is_enabled")
        return verdict(rule, r, PASS, "configuration_recorder_running")
    cfn = r.type.startswith("AWS::")
    all_supported = dig(a, "RecordingGroup", "AllSupported") if cfn else dig(a, "recording_group", "all_supported")
    if is_expression(all_supported):
        return unresolved(rule, r, "recording_group.all_supported", all_supported)
    if as_bool(all_supported) is False:
        return verdict(rule, r, FAIL, "records_only_selected_resource", key="all_supported")
    if not cfn and not _statuses(rule, facts, r):
        return verdict(rule, r, MANUAL, "records_all_resource_types", key="status")
    return verdict(rule, r, PASS, "records_all_supported_resource")


def config_recorder_incomplete(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-053: AWS Config recorders stopped or recording only some resource types; AWS code without any
    recorder is for a person to confirm (the recorder is often managed centrally)."""
    types = rule_types(rule)
    found = resources(rule, facts, *types)
    out = [_recorder(rule, facts, r) for r in found]
    if not found:
        aws = [r for r in facts.resources if r.provider == "aws" and not r.is_data]
        if aws:
            out.append(verdict(rule, aws[0], MANUAL, "aws_resources_but_no", {"aws_count": len(aws)},
                               key="aws-config"))
    return out


def _registry_scans(facts: IacFacts) -> bool:
    """Whether the scanned code turns on scanning for the whole ECR registry (enhanced scanning, or a basic
    rule scanning on push or continuously)."""
    for r in facts.of_types("aws_ecr_registry_scanning_configuration", "AWS::ECR::RegistryScanningConfiguration"):
        a = r.attributes
        if str(a.get("scan_type", a.get("ScanType", ""))).upper() == "ENHANCED":
            return True
        for item in as_list(a.get("rule", a.get("Rules"))):
            frequency = str(item.get("scan_frequency", item.get("ScanFrequency", ""))) if isinstance(item, dict) else ""
            if frequency.upper() in {"SCAN_ON_PUSH", "CONTINUOUS_SCAN"}:
                return True
    return False


def images_not_scanned(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-055: ECR repositories that do not scan images on push, unless the registry scans them all."""
    out: list[Finding] = []
    registry_wide = _registry_scans(facts)
    for r in facts.of_types(*rule_types(rule)):
        cfn = r.type.startswith("AWS::")
        attribute = "ImageScanningConfiguration.ScanOnPush" if cfn else "image_scanning_configuration.scan_on_push"
        value = dig(r.attributes, *(("ImageScanningConfiguration", "ScanOnPush") if cfn
                                    else ("image_scanning_configuration", "scan_on_push")))
        if registry_wide:
            out.append(verdict(rule, r, PASS, "registry_scans_all"))
        elif is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
        elif as_bool(value) is True:
            out.append(verdict(rule, r, PASS, "scan_on_push", {"attribute": attribute}))
        else:
            shown = rule.render("unset_default_false", {}) if value is None else str(value)
            out.append(verdict(rule, r, FAIL, "not_scanned", {"attribute": attribute, "value": shown}, key=attribute))
    return out


def ecr_tags_mutable(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-054: ECR repositories whose image tags can be moved to another image (MUTABLE, the default)."""
    out: list[Finding] = []
    for r in facts.of_types(*rule_types(rule)):
        attribute = "ImageTagMutability" if r.type.startswith("AWS::") else "image_tag_mutability"
        value = r.attributes.get(attribute, "MUTABLE")
        if is_expression(value):
            out.append(unresolved(rule, r, attribute, value))
        elif str(value).upper() == "MUTABLE":
            out.append(verdict(rule, r, FAIL, "mutable_tag_can_be", {"attribute": attribute}, key=attribute))
        else:
            out.append(verdict(rule, r, PASS, "tags_immutable", {"attribute": attribute, "value": value}))
    return out
