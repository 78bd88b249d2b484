"""AWS exports: AWS Config configuration items (``get-resource-config-history``, ``batch-get-resource-config``,
``select-resource-config`` with ``resourceType`` selected, the snapshot and history files AWS Config
delivers to S3, a change notification) and the outputs of ``aws … describe-*`` / ``get-*`` listed in the
mapping table's ``describe`` section."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from csmguard.scanners.iac.exportmap import NOT_IN_EXPORT, Deriver, ExportItem, load_map, resolve
from csmguard.scanners.iac.facts import AWS_CLI, AWS_CONFIG
from csmguard.scanning.budget import load_json

PROVIDER = "aws"

# Configuration items that describe no live resource.
_GONE = {"resourcedeleted", "resourcedeletednotrecorded", "resourcenotrecorded"}
# Keys of CLI outputs that carry paging or request metadata, not records.
_PAGING = {"nexttoken", "marker", "nextmarker", "istruncated", "responsemetadata"}
_CONTAINERS = ("configurationItems", "baseConfigurationItems")


def is_configuration_item(value: object) -> bool:
    """Whether ``value`` is an AWS Config configuration item."""
    return (isinstance(value, Mapping) and isinstance(value.get("resourceType"), str)
            and str(value["resourceType"]).startswith("AWS::")
            and any(k in value for k in ("configuration", "configurationItemStatus",
                                         "configurationItemCaptureTime", "resourceId")))


def _decode(value: Any) -> Any:
    if isinstance(value, str) and value.strip()[:1] in {"{", "["}:
        try:
            return load_json(value)
        except ValueError:
            return value
    return value


def _config_item(item: Mapping[str, Any], pointer: str) -> ExportItem | None:
    if str(item.get("configurationItemStatus", "")).lower() in _GONE:
        return None
    configuration = _decode(item.get("configuration"))
    if configuration is None:
        return None
    supplementary = _decode(item.get("supplementaryConfiguration"))
    arn = item.get("arn") or item.get("ARN")
    resource_id = item.get("resourceId")
    own = configuration if isinstance(configuration, Mapping) else {}
    # a select query may leave the item's own IDs out: the configuration's ARN or name then names it
    live_id = str(arn or resource_id or item.get("resourceName") or own.get("arn") or own.get("name") or pointer)
    keys = tuple(str(k) for k in (resource_id, arn, item.get("resourceName")) if k)
    return ExportItem(type=str(item["resourceType"]), live_id=live_id, pointer=pointer, keys=keys,
                      roots={"": configuration, "item": item,
                             "supplementary": supplementary if isinstance(supplementary, Mapping) else {}})


def _config_items(doc: Any) -> list[ExportItem] | None:
    """The items of an AWS Config document; None when ``doc`` is none."""
    candidates: list[tuple[str, Any]] = []
    if isinstance(doc, Mapping):
        if is_configuration_item(doc):
            candidates = [("", doc)]
        elif is_configuration_item(doc.get("configurationItem")):
            candidates = [("/configurationItem", doc["configurationItem"])]
        else:
            for key in _CONTAINERS:
                found = doc.get(key)
                if isinstance(found, list) and found and all(is_configuration_item(x) for x in found):
                    candidates = [(f"/{key}/{i}", x) for i, x in enumerate(found)]
                    break
            results = doc.get("Results")
            if not candidates and isinstance(results, list) and results:
                decoded = [_decode(x) for x in results]
                if all(is_configuration_item(x) for x in decoded):
                    candidates = [(f"/Results/{i}", x) for i, x in enumerate(decoded)]
    elif isinstance(doc, list) and doc and all(is_configuration_item(x) for x in doc):
        candidates = [(f"/{i}", x) for i, x in enumerate(doc)]
    if not candidates:
        return None
    return [item for pointer, raw in candidates if (item := _config_item(raw, pointer)) is not None]


def _record_id(record: Mapping[str, Any], fields: list[str]) -> tuple[str | None, tuple[str, ...]]:
    keys = [str(record[f]) for f in fields if isinstance(record.get(f), str | int) and record.get(f) != ""]
    return (keys[0] if keys else None), tuple(keys)


def _describe_items(doc: Any) -> list[ExportItem] | None:
    """The records of a CLI output whose top-level keys the table's ``describe`` section names; None
    when a key is unknown or a record lacks its ID field."""
    if not isinstance(doc, Mapping):
        return None
    table: Mapping[str, Any] = load_map(PROVIDER).sections.get("describe") or {}
    keys = [k for k in doc if str(k).lower() not in _PAGING]
    if not keys or any(k not in table for k in keys):
        return None
    items: list[ExportItem] = []
    for key in keys:
        spec = table[key]
        value = doc[key]
        records: list[tuple[str, Any]] = [(f"/{key}", value)] if isinstance(value, Mapping) else [
            (f"/{key}/{i}", v) for i, v in enumerate(value if isinstance(value, list) else [None])]
        if spec.get("each"):
            records = [(f"{p}/{spec['each']}/{j}", inner) for p, outer in records if isinstance(outer, Mapping)
                       for j, inner in enumerate(outer.get(spec["each"]) or [None])]
        for pointer, record in records:
            if not isinstance(record, Mapping):
                return None
            live_id, ids = _record_id(record, list(spec["id"]))
            if live_id is None:
                return None
            items.append(ExportItem(type=str(spec["type"]), live_id=live_id, pointer=pointer, keys=ids,
                                    roots={"": record, "item": record, "supplementary": {}}))
    return items


def read_items(doc: Any) -> tuple[str, list[ExportItem]] | None:
    """(source, items) when ``doc`` is an AWS Config document or a known CLI output, else None."""
    found = _config_items(doc)
    if found is not None:
        return AWS_CONFIG, found
    described = _describe_items(doc)
    if described is not None:
        return AWS_CLI, described
    return None


def _volume_encrypted(roots: Mapping[str, Any], volume_id: object) -> Any:
    index = roots.get("index") or {}
    volume = index.get(str(volume_id)) if volume_id else None
    if volume is None:
        return NOT_IN_EXPORT
    value = resolve("encrypted", volume)
    return NOT_IN_EXPORT if value is None else value


def aws_instance_volumes(attributes: dict[str, Any], roots: Mapping[str, Any]) -> None:
    """An instance's devices take their encryption from the volumes of the same export (the instance's
    own record does not say); a volume not in the export leaves the device's encryption unknown."""
    mappings = resolve("blockDeviceMappings", roots)
    root_name = resolve("rootDeviceName", roots)
    root: list[dict[str, Any]] = []
    others: list[dict[str, Any]] = []
    for mapping in mappings if isinstance(mappings, list) else []:
        if not isinstance(mapping, Mapping):
            continue
        volume_id = resolve("ebs.volumeId", {"": mapping})
        device = resolve("deviceName", {"": mapping})
        block = {"device_name": device, "volume_id": volume_id, "encrypted": _volume_encrypted(roots, volume_id)}
        (root if device is not None and device == root_name else others).append(block)
    attributes["root_block_device"] = root[:1] or [{"encrypted": NOT_IN_EXPORT}]
    if others:
        attributes["ebs_block_device"] = others


def aws_customer_key(attributes: dict[str, Any], roots: Mapping[str, Any]) -> None:
    """``kms_key_id`` kept only when the export shows the key is customer-managed: AWS reports the key of
    every encrypted volume, the AWS-managed ``aws/ebs`` key included, so a key ARN alone proves nothing.
    A key the export does not describe is ``NOT_IN_EXPORT``: whether it is customer-managed is unknown."""
    key = attributes.get("kms_key_id")
    if not key:
        return
    index = roots.get("index") or {}
    described = index.get(str(key)) or index.get(str(key).rsplit("/", 1)[-1])
    if described is None:
        attributes["kms_key_id"] = NOT_IN_EXPORT
    elif str(resolve("keyManager", described)).upper() != "CUSTOMER":
        del attributes["kms_key_id"]


def _grantee(grant: Mapping[str, Any]) -> str | None:
    """The canned ACL a grant to a public group amounts to, whatever form names the group (AWS Config's
    ``"AllUsers"``, a group URI ``…/global/AllUsers``, an identifier object); None for other grantees."""
    text = json.dumps(resolve("grantee", {"": grant}), default=str).lower()
    if "authenticatedusers" in text:
        return "authenticated-read"
    if "allusers" in text:
        return "public-read"
    return None


_ACL_RANK = {"private": 0, "authenticated-read": 1, "public-read": 2, "public-read-write": 3}


def aws_s3_acl(attributes: dict[str, Any], roots: Mapping[str, Any]) -> None:
    """A bucket's access control list (AWS Config's grant list) as the canned ACL it amounts to:
    ``public-read-write`` / ``public-read`` / ``authenticated-read`` when a grant goes to everyone,
    ``private`` otherwise, unknown when the export does not carry the list."""
    grants = resolve("$supplementary.AccessControlList.grantList", roots)
    if not isinstance(grants, list):
        attributes["acl"] = NOT_IN_EXPORT
        return
    acl = "private"
    for grant in grants:
        canned = _grantee(grant) if isinstance(grant, Mapping) else None
        if canned is None:
            continue
        permission = str(resolve("permission", {"": grant}) or "").lower().replace("_", "")
        if canned == "public-read" and permission in {"write", "fullcontrol"}:
            canned = "public-read-write"
        acl = max(acl, canned, key=_ACL_RANK.__getitem__)
    attributes["acl"] = acl


DERIVERS: Mapping[str, Deriver] = {"aws_instance_volumes": aws_instance_volumes, "aws_s3_acl": aws_s3_acl,
                                   "aws_customer_key": aws_customer_key}
