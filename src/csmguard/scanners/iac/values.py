"""Reading attribute values the same way whatever format they came from: blocks, booleans, numbers,
unresolved expressions, references and tags."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from csmguard.scanners.iac.facts import Resource

_TF_REF = re.compile(r"^\$\{\s*((?:data\.)?[A-Za-z][\w-]*\.[\w-]+)(?:\[[^\]]*\])?(?:\.[\w-]+)*\s*\}$")


def is_expression(value: object) -> bool:
    """Whether ``value`` is an unevaluated Terraform expression or CloudFormation intrinsic function."""
    if isinstance(value, str):
        return "${" in value
    if isinstance(value, Mapping) and len(value) == 1:
        key = next(iter(value))
        return isinstance(key, str) and (key == "Ref" or key.startswith("Fn::") or key == "Condition")
    return False


def show(value: object, limit: int = 120) -> str:
    """A short printable form of a value for messages and evidence."""
    out = str(value)
    return out if len(out) <= limit else out[: limit - 1] + "…"


def blocks(value: object) -> list[Mapping[str, Any]]:
    """A nested block as a list of mappings (HCL and plan JSON give lists, CloudFormation a mapping)."""
    if value is None:
        return []
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def first(value: object) -> Mapping[str, Any]:
    """The first block of a nested block, or an empty mapping."""
    found = blocks(value)
    return found[0] if found else {}


def dig(attributes: Mapping[str, Any], *path: str) -> Any:
    """The value at ``path``, descending into the first block where a level is a list of blocks."""
    current: Any = attributes
    for key in path:
        if isinstance(current, list):
            current = current[0] if current and isinstance(current[0], Mapping) else None
        if not isinstance(current, Mapping):
            return None
        current = current.get(key)
    return current


def as_list(value: object) -> list[Any]:
    """A value that may be a single item or a list, as a list (None → [])."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def as_bool(value: object) -> bool | None:
    """True/False for booleans and their string forms; None when absent or not decidable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in {"true", "yes", "on", "1", "enabled"}:
            return True
        if lowered in {"false", "no", "off", "0", "disabled"}:
            return False
    if isinstance(value, int):
        return value != 0
    return None


def as_int(value: object) -> int | None:
    """An integer from an int or a numeric string; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
        return int(value)
    return None


def reference(resource: Resource, value: object) -> str | None:
    """The address another resource's attribute ``value`` refers to, if it is a plain reference:
    ``${aws_ebs_volume.a.id}`` → ``aws_ebs_volume.a``; ``{"Ref": "Vol"}`` / ``!GetAtt Vol.Arn`` → ``Vol``."""
    if isinstance(value, str):
        match = _TF_REF.match(value.strip())
        if match is None:
            return None
        address = match.group(1)
        if address.startswith(("var.", "local.", "module.", "each.", "count.", "path.", "self.")):
            return None
        return address
    if isinstance(value, Mapping):
        if "Ref" in value and isinstance(value["Ref"], str):
            return value["Ref"]
        getatt = value.get("Fn::GetAtt")
        if isinstance(getatt, list) and getatt and isinstance(getatt[0], str):
            return getatt[0]
        if isinstance(getatt, str):
            return getatt.split(".", 1)[0]
    return None


# Tag keys and values that mark a data store as critical or its data as sensitive.
_CRITICAL_KEYS = {"critical", "criticality", "data-classification", "data_classification", "dataclassification",
                  "classification", "sensitivity", "tier", "csm-critical"}
_CRITICAL_VALUES = {"true", "yes", "1", "critical", "high", "sensitive", "confidential", "restricted", "secret",
                    "tier1", "tier-1", "mission-critical"}


# Values of the same keys that say the data is not sensitive (CSM-7.5 then does not ask for encryption).
_NOT_SENSITIVE_VALUES = {"false", "no", "0", "none", "public", "internal", "low", "non-sensitive", "nonsensitive",
                         "not-sensitive", "unclassified", "tier3", "tier-3"}


def tags(resource: Resource) -> dict[str, str]:
    """The resource's tags or labels as strings (Terraform map, CloudFormation Key/Value list, K8s labels)."""
    attrs = resource.attributes
    raw: Any = attrs.get("tags") or attrs.get("Tags") or attrs.get("labels") or attrs.get("user_labels") or attrs.get(
        "FileSystemTags")
    if raw is None and isinstance(attrs.get("settings"), list | dict):
        raw = dig(attrs, "settings", "user_labels")
    if raw is None and resource.source == "kubernetes":
        raw = dig(attrs, "metadata", "labels")
    out: dict[str, str] = {}
    if isinstance(raw, Mapping):
        out = {str(k): str(v) for k, v in raw.items()}
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, Mapping) and "Key" in item:
                out[str(item["Key"])] = str(item.get("Value", ""))
    return out


# Values of the same keys that mark a store explicitly as neither critical nor sensitive.
_NOT_CRITICAL_VALUES = {"false", "no", "0", "low", "none", "public", "non-critical", "noncritical",
                        "tier3", "tier-3"}


def _tagged(resource: Resource, negatives: set[str]) -> bool | None:
    """True when a criticality/classification tag marks the resource critical or sensitive, False when such
    a tag explicitly says it is not (one of ``negatives``), None when no tag says (undetermined)."""
    said_not = False
    for key, value in tags(resource).items():
        if key.strip().lower() not in _CRITICAL_KEYS:
            continue
        lowered = value.strip().lower()
        if lowered in _CRITICAL_VALUES:
            return True
        said_not = said_not or lowered in negatives
    return False if said_not else None


def criticality(resource: Resource) -> bool | None:
    """Whether tags mark the resource critical or sensitive (CSM-4.2's critical services): True, False when
    they explicitly mark it as neither (``Critical=false``, ``data-classification=public`` …), None when
    no tag says (undetermined)."""
    return _tagged(resource, _NOT_CRITICAL_VALUES)


def is_critical(resource: Resource) -> bool:
    """Whether tags mark the resource as a critical data store or as holding sensitive data
    (``Critical=true``, ``criticality=high``, ``data-classification=confidential`` …)."""
    return criticality(resource) is True


def sensitivity(resource: Resource) -> bool | None:
    """Whether tags say the resource holds sensitive data (True), say it does not (False; ``internal``
    counts as not sensitive here), or do not say (None)."""
    return _tagged(resource, _NOT_SENSITIVE_VALUES)
