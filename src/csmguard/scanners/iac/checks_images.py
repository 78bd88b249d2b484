"""Checks on where machine and container images come from: VM images pinned by ID from an allowed
owner, container images pinned by digest and not ``:latest`` (CSM-7.1)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from csmguard.domain import Finding
from csmguard.domain.i18n import LocalizedText
from csmguard.rules.model import Rule
from csmguard.scanners.iac.checkbase import FAIL, PASS, joined, resources, unresolved, verdict
from csmguard.scanners.iac.facts import IacFacts, IacOptions, Resource
from csmguard.scanners.iac.k8s import WORKLOAD_TYPES, containers, workloads
from csmguard.scanners.iac.values import as_list, blocks, dig, first, is_expression, reference

_AMI_ID = re.compile(r"^ami-[0-9a-f]{8,17}$")
_GCP_DATED = re.compile(r"-v\d{8}")
_GCP_PROJECT = re.compile(r"projects/([^/]+)/")
AWS_IMAGE_ATTRIBUTES = {
    "aws_instance": "ami", "aws_spot_instance_request": "ami", "aws_launch_template": "image_id",
    "aws_launch_configuration": "image_id", "AWS::EC2::Instance": "ImageId",
    "AWS::AutoScaling::LaunchConfiguration": "ImageId", "AWS::EC2::LaunchTemplate": "LaunchTemplateData.ImageId",
}
AZURE_VMS = ("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine",
             "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
             "azurerm_virtual_machine")


def _aws(rule: Rule, facts: IacFacts, options: IacOptions, r: Resource) -> Finding | None:
    attribute = AWS_IMAGE_ATTRIBUTES[r.type]
    value = dig(r.attributes, *attribute.split("."))
    if value is None:
        return None  # a launch template without an image, or an instance launched from a template
    if isinstance(value, str) and _AMI_ID.match(value.strip()):
        return verdict(rule, r, PASS, "image_pinned_id", {"value": value})
    if isinstance(value, str) and "resolve:ssm:" in value:
        return verdict(rule, r, FAIL, "image_resolved_at_deploy", {"value": value}, evidence={attribute: value})
    ref = reference(r, value)
    if ref and ref.startswith("data.aws_ami."):
        data = facts.lookup(r.scope, ref)
        owners = [str(o) for o in as_list(data.attributes.get("owners"))] if data is not None else []
        allowed = set(options.allowed_image_owners)
        if allowed and owners and set(owners) <= allowed:
            return verdict(rule, r, PASS, "image_looked_up_from", {"owners": ', '.join(owners)})
        shown = ", ".join(owners) or rule.render("not_restricted", {})
        why = rule.render("owners_not_allowed", {"owners": shown}) if allowed else rule.render("no_allowed_owners", {})
        return verdict(rule, r, FAIL, "image_looked_up_not", {"ref": ref, "why": why},
                       evidence={"lookup": ref, "owners": owners})
    if isinstance(value, Mapping) and "Ref" in value:
        return verdict(rule, r, FAIL, "image_from_parameter_without", {"value": value["Ref"]},
                       evidence={attribute: str(value)})
    if is_expression(value):
        return unresolved(rule, r, attribute, value)
    return verdict(rule, r, FAIL, "image_not_ami_id", {"value": value})


def _azure(rule: Rule, options: IacOptions, r: Resource) -> Finding:
    a = r.attributes
    if a.get("source_image_id"):
        return verdict(rule, r, PASS, "image_pinned_source_image")
    ref = first(a.get("source_image_reference") or a.get("storage_image_reference"))
    if ref.get("id"):
        return verdict(rule, r, PASS, "image_reference_pinned_id")
    version, publisher = str(ref.get("version", "latest")), str(ref.get("publisher", ""))
    if version.lower() == "latest":
        return verdict(rule, r, FAIL, "image_version_latest",
                       {"publisher": publisher, "offer": ref.get("offer"), "sku": ref.get("sku")},
                       evidence={"publisher": publisher, "version": version})
    if options.allowed_image_owners and publisher not in options.allowed_image_owners:
        return verdict(rule, r, FAIL, "publisher_not_allowed_list", {"publisher": publisher},
                       evidence={"publisher": publisher})
    return verdict(rule, r, PASS, "image_version_pinned", {"version": version})


def _gcp_images(r: Resource) -> list[tuple[str, Any]]:
    if r.type == "google_compute_instance":
        image = dig(r.attributes, "boot_disk", "initialize_params", "image")
        return [("boot_disk.initialize_params.image", image)] if image is not None else []
    return [(f"disk[{i}].source_image", d.get("source_image")) for i, d in enumerate(blocks(r.attributes.get("disk")))
            if d.get("source_image") is not None]


def _gcp(rule: Rule, options: IacOptions, r: Resource) -> Finding | None:
    images = _gcp_images(r)
    if not images:
        return None
    problems: list[LocalizedText] = []
    for attribute, image in images:
        if is_expression(image):
            return unresolved(rule, r, attribute, image)
        text = str(image)
        found = _GCP_PROJECT.search(text)
        project = found.group(1) if found else (text.split("/")[0] if "/" in text else "")
        family = "/family/" in text or ("images/" not in text and not _GCP_DATED.search(text))
        if family:
            problems.append(rule.render("image_family", {"attribute": attribute, "image": text}))
        if options.allowed_image_owners and project and project not in options.allowed_image_owners:
            problems.append(rule.render("project_not_allowed", {"attribute": attribute, "project": project}))
    if problems:
        return verdict(rule, r, FAIL, "images_not_pinned", {"problems": joined(rule, problems)},
                       evidence={"problems": [p.en for p in problems]})
    return verdict(rule, r, PASS, "images_pinned")


def vm_image_not_pinned(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-050: VM images referred to by lookup, family or ``latest`` instead of an ID, or from an owner
    outside the allowed list."""
    out: list[Finding | None] = [_aws(rule, facts, options, r) for r in resources(rule, facts, *AWS_IMAGE_ATTRIBUTES)]
    out += [_azure(rule, options, r) for r in resources(rule, facts, *AZURE_VMS)]
    out += [_gcp(rule, options, r) for r in resources(rule, facts, "google_compute_instance",
                                                           "google_compute_instance_template")]
    return [f for f in out if f is not None]


def _tag(image: str) -> str | None:
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else None


def k8s_image_latest(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-051: container images with the ``latest`` tag or no tag (which means latest)."""
    out = []
    for r, spec in workloads(resources(rule, facts, *WORKLOAD_TYPES)):
        bad = []
        for c in containers(spec):
            image = str(c.get("image", ""))
            if "@" not in image and _tag(image) in {None, "latest"}:
                bad.append(f"{c.get('name')}: {image}")
        if bad:
            out.append(verdict(rule, r, FAIL, "image_without_fixed_tag",
                               {"bad": ', '.join(bad)}, evidence={"images": bad}))
        else:
            out.append(verdict(rule, r, PASS, "all_images_have_fixed"))
    return out


def k8s_image_no_digest(rule: Rule, facts: IacFacts, options: IacOptions) -> list[Finding]:
    """IAC-052: container images not pinned by ``@sha256:`` digest."""
    out = []
    for r, spec in workloads(resources(rule, facts, *WORKLOAD_TYPES)):
        bad = [f"{c.get('name')}: {c.get('image')}" for c in containers(spec) if "@sha256:" not in str(c.get("image"))]
        if bad:
            out.append(verdict(rule, r, FAIL, "image_not_pinned_digest",
                               {"bad": ', '.join(bad)}, evidence={"images": bad}))
        else:
            out.append(verdict(rule, r, PASS, "all_images_pinned_digest"))
    return out
