"""Checks on disks, snapshots and images: encryption, customer-managed keys and sharing (CSM-7.5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding, FindingStatus
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import (
    FAIL,
    PASS,
    UNKNOWN,
    by_sensitivity,
    detail,
    resources,
    rule_types,
    unresolved,
    verdict,
)
from csmguard.scanners.iac.exportmap import NOT_IN_EXPORT
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.values import (
    as_bool,
    as_list,
    blocks,
    criticality,
    dig,
    first,
    is_expression,
    reference,
    sensitivity,
)

PUBLIC_MEMBERS = {"allusers", "allauthenticatedusers"}


def _devices(resource: Resource) -> list[tuple[str, Any]]:
    """(device label, its ``encrypted`` value) for every block device the resource declares."""
    a = resource.attributes
    t = resource.type
    out: list[tuple[str, Any]] = []
    if t in {"aws_ebs_volume", "aws_ebs_snapshot_copy"}:
        out.append(("encrypted", a.get("encrypted")))
    elif t in {"aws_instance", "aws_launch_configuration", "aws_spot_instance_request"}:
        root = blocks(a.get("root_block_device"))
        out.append(("root_block_device.encrypted", root[0].get("encrypted") if root else None))
        out += [(f"ebs_block_device[{d.get('device_name', i)}].encrypted", d.get("encrypted"))
                for i, d in enumerate(blocks(a.get("ebs_block_device")))]
    elif t == "aws_ami":
        out += [(f"ebs_block_device[{d.get('device_name', i)}].encrypted", d.get("encrypted"))
                for i, d in enumerate(blocks(a.get("ebs_block_device")))]
    elif t == "aws_launch_template":
        for i, mapping in enumerate(blocks(a.get("block_device_mappings"))):
            ebs = blocks(mapping.get("ebs"))
            if ebs:
                out.append((f"block_device_mappings[{mapping.get('device_name', i)}].ebs.encrypted",
                            ebs[0].get("encrypted")))
    elif t == "AWS::EC2::Volume":
        out.append(("Encrypted", a.get("Encrypted")))
    elif t in {"AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration", "AWS::EC2::LaunchTemplate"}:
        mappings = dig(a, "LaunchTemplateData", "BlockDeviceMappings") if t == "AWS::EC2::LaunchTemplate" \
            else a.get("BlockDeviceMappings")
        for i, mapping in enumerate(blocks(mappings)):
            if isinstance(mapping.get("Ebs"), Mapping):
                out.append((f"BlockDeviceMappings[{mapping.get('DeviceName', i)}].Ebs.Encrypted",
                            mapping["Ebs"].get("Encrypted")))
    elif t in {"azurerm_managed_disk", "azurerm_snapshot"}:
        settings = blocks(a.get("encryption_settings"))
        if settings and "enabled" in settings[0]:
            out.append(("encryption_settings.enabled", settings[0].get("enabled")))
    return out


DISK_TYPES = ("aws_ebs_volume", "aws_ebs_snapshot_copy", "aws_instance", "aws_launch_configuration",
              "aws_spot_instance_request", "aws_ami", "aws_launch_template", "AWS::EC2::Volume",
              "AWS::EC2::Instance", "AWS::AutoScaling::LaunchConfiguration", "AWS::EC2::LaunchTemplate",
              "azurerm_managed_disk", "azurerm_snapshot")


def _unencrypted(rule: Rule, resource: Resource, options: IacOptions, message: str, values: dict[str, object],
                 evidence: dict[str, Any], *sources: Resource) -> Finding:
    """An unencrypted disk: 7.5 asks encryption of disks holding sensitive data at the customer's request, so
    it fails only where the firm marked the data sensitive; marked not sensitive it does not apply, unmarked it
    is undecided."""
    marks = [sensitivity(r) for r in (resource, *sources)]
    if options.all_disks_sensitive or True in marks:
        return verdict(rule, resource, FAIL, message, values, evidence=evidence)
    found = detail(rule, message, values)
    if False in marks:
        return verdict(rule, resource, FindingStatus.NOT_APPLICABLE, "tagged_not_sensitive", {"detail": found},
                       evidence=evidence)
    return verdict(rule, resource, UNKNOWN, "sensitivity_unknown", {"detail": found}, evidence=evidence)


def unencrypted_disks(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-001: block volumes, launch templates, AMIs and snapshots holding sensitive data that are not encrypted."""
    out: list[Finding] = []
    by_default = {r.scope for r in resources(rule, facts, "aws_ebs_encryption_by_default")
                  if as_bool(r.attributes.get("enabled", True)) is True}
    for resource in resources(rule, facts, *DISK_TYPES):
        devices = _devices(resource)
        if not devices:
            continue
        if resource.scope in by_default:  # unset means encrypted when the same configuration turns the default on
            devices = [(label, True if value is None else value) for label, value in devices]
        undecided = [(label, value) for label, value in devices if is_expression(value)]
        bad = [label for label, value in devices if not is_expression(value) and as_bool(value) is not True]
        if bad:
            out.append(_unencrypted(rule, resource, options, "not_encrypted",
                                    {"bad": ', '.join(bad)}, {"unencrypted": bad}))
        elif undecided:
            out.append(unresolved(rule, resource, undecided[0][0], undecided[0][1]))
        else:
            out.append(verdict(rule, resource, PASS, "all_block_devices_encrypted"))
    for snapshot in resources(rule, facts, "aws_ebs_snapshot"):
        volume_ref = reference(snapshot, snapshot.attributes.get("volume_id"))
        volume = facts.lookup(snapshot.scope, volume_ref) if volume_ref else None
        if volume is None:
            out.append(verdict(rule, snapshot, UNKNOWN,
                               "source_volume_not_defined", key="volume_id"))
            continue
        encrypted = volume.attributes.get("encrypted")
        if as_bool(encrypted) is True:
            out.append(verdict(rule, snapshot, PASS, "source_volume_encrypted", {"volume_address": volume.address}))
        elif is_expression(encrypted):
            out.append(unresolved(rule, snapshot, f"{volume.address}.encrypted", encrypted))
        else:
            out.append(_unencrypted(rule, snapshot, options, "snapshot_unencrypted_volume",
                                    {"volume_address": volume.address}, {"volume": volume.address}, volume))
    return out


def _cmk(resource: Resource) -> tuple[str, Any] | None:
    """(attribute, value) naming the customer-managed key of a disk, or None when the type has none."""
    a = resource.attributes
    t = resource.type
    if t in {"aws_ebs_volume", "aws_ebs_snapshot_copy"}:
        return "kms_key_id", a.get("kms_key_id")
    if t == "AWS::EC2::Volume":
        return "KmsKeyId", a.get("KmsKeyId")
    if t in {"azurerm_managed_disk"}:
        return "disk_encryption_set_id", a.get("disk_encryption_set_id") or a.get("secure_vm_disk_encryption_set_id")
    if t in {"google_compute_disk", "google_compute_region_disk"}:
        key = first(a.get("disk_encryption_key"))
        return "disk_encryption_key", key.get("kms_key_self_link") or key.get("raw_key") or key.get(
            "rsa_encrypted_key") or None
    if t == "google_compute_instance":
        boot = first(a.get("boot_disk"))
        return "boot_disk.kms_key_self_link", boot.get("kms_key_self_link") or boot.get("disk_encryption_key_raw")
    return None


def sensitive_disks_without_cmk(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-002: disks without a customer-managed key: fail when tagged as holding sensitive or critical
    data, unknown when no tag says, not applicable when tags say neither."""
    out: list[Finding] = []
    for resource in facts.of_types(*rule_types(rule)):
        found = _cmk(resource)
        if found is None:
            raise ValueError(f"rule {rule.id} lists {resource.type}, whose key attribute the check does not know")
        attribute, value = found
        if value in (None, "", []):
            out.append(by_sensitivity(rule, resource, criticality(resource), "customer_managed_key_not",
                                      {"attribute": attribute}, key=attribute))
        elif value == NOT_IN_EXPORT:
            out.append(unresolved(rule, resource, attribute, value))
        else:
            out.append(verdict(rule, resource, PASS, "encrypted_customer_managed_key", {"attribute": attribute}))
    return out


def _iam_members(facts: IacFacts, resource: Resource) -> list[str]:
    a = resource.attributes
    members = [str(m) for m in as_list(a.get("member")) + as_list(a.get("members"))]
    if resource.type.endswith("_iam_policy"):
        ref = reference(resource, a.get("policy_data"))
        policy = facts.lookup(resource.scope, ref) if ref else None
        if policy is not None:
            for binding in blocks(policy.attributes.get("binding")):
                members += [str(m) for m in as_list(binding.get("members"))]
        else:
            members.append("<unresolved policy_data>")
    return members


def _iam_verdict(rule: Rule, facts: IacFacts, resource: Resource) -> Finding:
    members = _iam_members(facts, resource)
    public = [m for m in members if m.lower() in PUBLIC_MEMBERS]
    if public:
        return verdict(rule, resource, FAIL, "granted_anyone",
                       {"public": ', '.join(public)}, evidence={"members": public})
    if "<unresolved policy_data>" in members:
        return unresolved(rule, resource, "policy_data", resource.attributes.get("policy_data"))
    unknown = [m for m in members if is_expression(m)]
    if unknown:
        return unresolved(rule, resource, "members", unknown[0])
    return verdict(rule, resource, PASS, "not_granted_allusers_allauthenticatedusers")


def _azure_public_access(rule: Rule, resource: Resource) -> Finding:
    a = resource.attributes
    public = a.get("public_network_access_enabled")
    policy = a.get("network_access_policy")
    if is_expression(public) or is_expression(policy):
        return unresolved(rule, resource, "network_access_policy", policy if is_expression(policy) else public)
    if as_bool(public) is not False and (policy is None or str(policy).lower() == "allowall"):
        return verdict(rule, resource, FAIL,
                       "exportable_from_any_network",
                       {"public": public if public is not None else "default true",
                        "policy": policy or "default AllowAll"},
                       evidence={"public_network_access_enabled": public, "network_access_policy": policy})
    return verdict(rule, resource, PASS, "public_network_access_restricted")


def _account_verdict(rule: Rule, resource: Resource, options: IacOptions, account: Any) -> Finding:
    """Shared with one account: public when "all", else allowed or not (the rule's message ``shared_item``
    names what is shared)."""
    what = rule.render("shared_item", {})
    if is_expression(account):
        return unresolved(rule, resource, "account_id", account)
    if str(account).lower() == "all":
        return verdict(rule, resource, FAIL, "shared_all_public", {"what": what},
                       evidence={"account_id": "all"})
    if str(account) in options.allowed_accounts:
        return verdict(rule, resource, PASS, "shared_allowed_account", {"what": what, "account": account})
    return verdict(rule, resource, FAIL, "shared_account_which_not",
                   {"what": what, "account": account}, evidence={"account_id": str(account)})


def shared_snapshots(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-003: snapshots shared with anyone or with accounts outside the allowed list."""
    out = [_account_verdict(rule, r, options, r.attributes.get("account_id"))
           for r in resources(rule, facts, "aws_snapshot_create_volume_permission")]
    out += [_iam_verdict(rule, facts, r) for r in resources(rule, facts,
        "google_compute_snapshot_iam_member", "google_compute_snapshot_iam_binding",
        "google_compute_snapshot_iam_policy")]
    out += [_azure_public_access(rule, r) for r in resources(rule, facts, "azurerm_snapshot")]
    return out


def _image_builder_verdict(rule: Rule, r: Resource, options: IacOptions) -> Finding:
    """EC2 Image Builder distributions: launch permissions to the group "all" or to unknown accounts."""
    groups: list[str] = []
    accounts: list[str] = []
    if r.type.startswith("AWS::"):
        for distribution in blocks(r.attributes.get("Distributions")):
            permission = dig(distribution, "AmiDistributionConfiguration", "LaunchPermissionConfiguration") or {}
            groups += [str(g) for g in as_list(permission.get("UserGroups"))]
            accounts += [str(u) for u in as_list(permission.get("UserIds"))]
    else:
        for distribution in blocks(r.attributes.get("distribution")):
            permission = first(first(distribution.get("ami_distribution_configuration")).get("launch_permission"))
            groups += [str(g) for g in as_list(permission.get("user_groups"))]
            accounts += [str(u) for u in as_list(permission.get("user_ids"))]
    if "all" in (g.lower() for g in groups):
        return verdict(rule, r, FAIL, "distributes_amis_launch_permission", evidence={"user_groups": groups})
    unknown = [a for a in accounts if a not in options.allowed_accounts]
    if unknown:
        return verdict(rule, r, FAIL, "distributes_amis_accounts_not",
                       {"unknown": ', '.join(unknown)}, evidence={"user_ids": unknown})
    return verdict(rule, r, PASS, "amis_distributed_only_allowed")


def shared_images(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-004: machine images whose launch permission or IAM makes them public or shares them with
    unknown accounts."""
    out: list[Finding] = []
    for r in resources(rule, facts, "aws_ami_launch_permission"):
        a = r.attributes
        if is_expression(a.get("group")):
            out.append(unresolved(rule, r, "group", a.get("group")))
        elif str(a.get("group", "")).lower() == "all":
            out.append(verdict(rule, r, FAIL, "launch_permission_group_all", evidence={"group": "all"}))
        elif a.get("account_id") is not None:
            out.append(_account_verdict(rule, r, options, a.get("account_id")))
        else:
            out.append(verdict(rule, r, PASS, "shared_within_organization_organizational"))
    out += [_image_builder_verdict(rule, r, options) for r in resources(rule, facts,
        "aws_imagebuilder_distribution_configuration", "AWS::ImageBuilder::DistributionConfiguration")]
    out += [_iam_verdict(rule, facts, r) for r in resources(rule, facts,
        "google_compute_image_iam_member", "google_compute_image_iam_binding", "google_compute_image_iam_policy")]
    for r in resources(rule, facts, "azurerm_shared_image_gallery"):
        permission = dig(r.attributes, "sharing", "permission")
        if str(permission).lower() == "community":
            out.append(verdict(rule, r, FAIL, "gallery_shared_community_public",
                               evidence={"permission": str(permission)}))
        else:
            out.append(verdict(rule, r, PASS, "gallery_not_shared_publicly"))
    return out


def public_disks(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-005: disks reachable or exportable from the public network, or granted to anyone."""
    out = [_azure_public_access(rule, r) for r in resources(rule, facts, "azurerm_managed_disk")]
    out += [_iam_verdict(rule, facts, r) for r in resources(rule, facts,
        "google_compute_disk_iam_member", "google_compute_disk_iam_binding", "google_compute_disk_iam_policy")]
    return out
