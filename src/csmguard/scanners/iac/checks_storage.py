"""Checks on disks, snapshots and images: encryption, customer-managed keys and sharing (CSM-7.5)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding, FindingStatus
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, UNKNOWN, by_sensitivity, rule_types, unresolved, verdict
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


def _unencrypted(rule: Rule, resource: Resource, options: IacOptions, en: str, zh: str,
                 evidence: dict[str, Any], *sources: Resource) -> Finding:
    """An unencrypted disk: 7.5 asks encryption of disks holding sensitive data at the customer's request, so
    it fails only where the firm marked the data sensitive; marked not sensitive it does not apply, unmarked it
    is undecided."""
    marks = [sensitivity(r) for r in (resource, *sources)]
    if options.all_disks_sensitive or True in marks:
        return verdict(rule, resource, FAIL, en, zh, evidence=evidence)
    if False in marks:
        return verdict(rule, resource, FindingStatus.NOT_APPLICABLE, f"{en}; tagged as not holding sensitive data",
                       f"{zh}；標記為不含敏感資料", evidence=evidence)
    return verdict(rule, resource, UNKNOWN,
                   f"{en}; whether it holds sensitive data is not known (tag it, e.g. data-classification, or "
                   "scan with --all-disks-sensitive)",
                   f"{zh}；無法判斷是否含敏感資料（請以標籤標示，如 data-classification，"
                   "或以 --all-disks-sensitive 掃描）",
                   evidence=evidence)


def unencrypted_disks(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-001: block volumes, launch templates, AMIs and snapshots holding sensitive data that are not encrypted."""
    out: list[Finding] = []
    by_default = {r.scope for r in facts.of_types("aws_ebs_encryption_by_default")
                  if as_bool(r.attributes.get("enabled", True)) is True}
    for resource in facts.of_types(*DISK_TYPES):
        devices = _devices(resource)
        if not devices:
            continue
        if resource.scope in by_default:  # unset means encrypted when the same configuration turns the default on
            devices = [(label, True if value is None else value) for label, value in devices]
        undecided = [(label, value) for label, value in devices if is_expression(value)]
        bad = [label for label, value in devices if not is_expression(value) and as_bool(value) is not True]
        if bad:
            out.append(_unencrypted(rule, resource, options, f"not encrypted: {', '.join(bad)}",
                                    f"未加密：{', '.join(bad)}", {"unencrypted": bad}))
        elif undecided:
            out.append(unresolved(rule, resource, undecided[0][0], undecided[0][1]))
        else:
            out.append(verdict(rule, resource, PASS, "all block devices are encrypted", "所有磁碟皆已加密"))
    for snapshot in facts.of_types("aws_ebs_snapshot"):
        volume_ref = reference(snapshot, snapshot.attributes.get("volume_id"))
        volume = facts.lookup(snapshot.scope, volume_ref) if volume_ref else None
        if volume is None:
            out.append(verdict(rule, snapshot, UNKNOWN,
                               "the source volume is not defined in the scanned code; its encryption is unknown",
                               "來源磁碟未定義於受檢程式碼中，無法判斷是否加密", key="volume_id"))
            continue
        encrypted = volume.attributes.get("encrypted")
        if as_bool(encrypted) is True:
            out.append(verdict(rule, snapshot, PASS, f"source volume {volume.address} is encrypted",
                               f"來源磁碟 {volume.address} 已加密"))
        elif is_expression(encrypted):
            out.append(unresolved(rule, snapshot, f"{volume.address}.encrypted", encrypted))
        else:
            out.append(_unencrypted(rule, snapshot, options, f"snapshot of unencrypted volume {volume.address}",
                                    f"快照來源磁碟 {volume.address} 未加密", {"volume": volume.address}, volume))
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
            out.append(by_sensitivity(rule, resource, criticality(resource), f"{attribute} (customer-managed key) "
                                      "not set", f"未設定 {attribute}（客戶自管金鑰）", key=attribute))
        else:
            out.append(verdict(rule, resource, PASS, f"encrypted with a customer-managed key ({attribute})",
                               f"已使用客戶自管金鑰加密（{attribute}）"))
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
        return verdict(rule, resource, FAIL, f"granted to {', '.join(public)} (anyone)",
                       f"授權給 {', '.join(public)}（任何人）", evidence={"members": public})
    if "<unresolved policy_data>" in members:
        return unresolved(rule, resource, "policy_data", resource.attributes.get("policy_data"))
    unknown = [m for m in members if is_expression(m)]
    if unknown:
        return unresolved(rule, resource, "members", unknown[0])
    return verdict(rule, resource, PASS, "not granted to allUsers or allAuthenticatedUsers",
                   "未授權給 allUsers 或 allAuthenticatedUsers")


def _azure_public_access(rule: Rule, resource: Resource) -> Finding:
    a = resource.attributes
    public = a.get("public_network_access_enabled")
    policy = a.get("network_access_policy")
    if is_expression(public) or is_expression(policy):
        return unresolved(rule, resource, "network_access_policy", policy if is_expression(policy) else public)
    if as_bool(public) is not False and (policy is None or str(policy).lower() == "allowall"):
        return verdict(rule, resource, FAIL,
                       "exportable from any network (public_network_access_enabled="
                       f"{public if public is not None else 'default true'}, "
                       f"network_access_policy={policy or 'default AllowAll'})",
                       "可自任何網路匯出（未關閉公用網路存取且網路存取原則為 AllowAll）",
                       evidence={"public_network_access_enabled": public, "network_access_policy": policy})
    return verdict(rule, resource, PASS, "public network access is restricted", "已限制公用網路存取")


def _account_verdict(rule: Rule, resource: Resource, options: IacOptions, account: Any, what_en: str,
                     what_zh: str) -> Finding:
    if is_expression(account):
        return unresolved(rule, resource, "account_id", account)
    if str(account).lower() == "all":
        return verdict(rule, resource, FAIL, f"{what_en} shared with \"all\": public", f"{what_zh}分享給 all：公開",
                       evidence={"account_id": "all"})
    if str(account) in options.allowed_accounts:
        return verdict(rule, resource, PASS, f"{what_en} shared with allowed account {account}",
                       f"{what_zh}僅分享給允許的帳號 {account}")
    return verdict(rule, resource, FAIL, f"{what_en} shared with account {account}, which is not in the allowed list",
                   f"{what_zh}分享給不在允許清單中的帳號 {account}", evidence={"account_id": str(account)})


def shared_snapshots(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-003: snapshots shared with anyone or with accounts outside the allowed list."""
    out = [_account_verdict(rule, r, options, r.attributes.get("account_id"), "snapshot", "快照")
           for r in facts.of_types("aws_snapshot_create_volume_permission")]
    out += [_iam_verdict(rule, facts, r) for r in facts.of_types(
        "google_compute_snapshot_iam_member", "google_compute_snapshot_iam_binding",
        "google_compute_snapshot_iam_policy")]
    out += [_azure_public_access(rule, r) for r in facts.of_types("azurerm_snapshot")]
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
        return verdict(rule, r, FAIL, "distributes AMIs with launch permission group \"all\": public",
                       "以啟動權限群組 all 發布映像檔：公開", evidence={"user_groups": groups})
    unknown = [a for a in accounts if a not in options.allowed_accounts]
    if unknown:
        return verdict(rule, r, FAIL, f"distributes AMIs to accounts not in the allowed list: {', '.join(unknown)}",
                       f"發布映像檔給不在允許清單中的帳號：{', '.join(unknown)}", evidence={"user_ids": unknown})
    return verdict(rule, r, PASS, "AMIs distributed only to allowed accounts", "映像檔僅發布給允許的帳號")


def shared_images(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-004: machine images whose launch permission or IAM makes them public or shares them with
    unknown accounts."""
    out: list[Finding] = []
    for r in facts.of_types("aws_ami_launch_permission"):
        a = r.attributes
        if is_expression(a.get("group")):
            out.append(unresolved(rule, r, "group", a.get("group")))
        elif str(a.get("group", "")).lower() == "all":
            out.append(verdict(rule, r, FAIL, "launch permission group \"all\": the AMI is public",
                               "啟動權限群組為 all：映像檔公開", evidence={"group": "all"}))
        elif a.get("account_id") is not None:
            out.append(_account_verdict(rule, r, options, a.get("account_id"), "AMI", "映像檔"))
        else:
            out.append(verdict(rule, r, PASS, "shared within an organization or organizational unit",
                               "僅分享給組織或組織單位"))
    out += [_image_builder_verdict(rule, r, options) for r in facts.of_types(
        "aws_imagebuilder_distribution_configuration", "AWS::ImageBuilder::DistributionConfiguration")]
    out += [_iam_verdict(rule, facts, r) for r in facts.of_types(
        "google_compute_image_iam_member", "google_compute_image_iam_binding", "google_compute_image_iam_policy")]
    for r in facts.of_types("azurerm_shared_image_gallery"):
        permission = dig(r.attributes, "sharing", "permission")
        if str(permission).lower() == "community":
            out.append(verdict(rule, r, FAIL, "gallery shared with the community (public)",
                               "映像庫分享給社群（公開）", evidence={"permission": str(permission)}))
        else:
            out.append(verdict(rule, r, PASS, "gallery not shared publicly", "映像庫未公開分享"))
    return out


def public_disks(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-005: disks reachable or exportable from the public network, or granted to anyone."""
    out = [_azure_public_access(rule, r) for r in facts.of_types("azurerm_managed_disk")]
    out += [_iam_verdict(rule, facts, r) for r in facts.of_types(
        "google_compute_disk_iam_member", "google_compute_disk_iam_binding", "google_compute_disk_iam_policy")]
    return out
