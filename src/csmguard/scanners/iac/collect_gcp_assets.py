"""GCP exports: Cloud Asset Inventory assets, as ``gcloud asset export`` writes them (NDJSON, one asset a
line, snake_case keys) and as ``gcloud asset list --format=json`` prints them (a JSON list, camelCase
keys), with resource content, IAM policy or both. An asset is recognised by its full resource name
(``//service.googleapis.com/…``) and asset type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.scanners.iac.exportmap import ExportItem
from csmguard.scanners.iac.facts import GCP_ASSETS

PROVIDER = "gcp"
SOURCE = GCP_ASSETS


def _type(value: Mapping[str, Any]) -> Any:
    return value.get("asset_type", value.get("assetType"))


def is_asset(value: object) -> bool:
    """Whether ``value`` is a Cloud Asset Inventory asset."""
    return (isinstance(value, Mapping) and isinstance(value.get("name"), str) and value["name"].startswith("//")
            and isinstance(_type(value), str))


def _item(asset: Mapping[str, Any], pointer: str, line: int | None) -> ExportItem:
    resource = asset.get("resource")
    data = resource.get("data") if isinstance(resource, Mapping) else None
    iam = asset.get("iam_policy", asset.get("iamPolicy"))
    return ExportItem(type=str(_type(asset)), live_id=str(asset["name"]), pointer=pointer, line=line,
                      keys=(str(asset["name"]),),
                      roots={"": data if isinstance(data, Mapping) else {}, "data": data, "item": asset,
                             "iam": iam if isinstance(iam, Mapping) else {}})


def read_items(doc: Any) -> tuple[str, list[ExportItem]] | None:
    """(source, items) when ``doc`` is a list of assets (or one asset), else None."""
    if is_asset(doc):
        return SOURCE, [_item(doc, "", None)]
    if isinstance(doc, list) and doc and all(is_asset(a) for a in doc):
        return SOURCE, [_item(a, f"/{i}", None) for i, a in enumerate(doc)]
    return None


def line_items(lines: list[tuple[int, Any]]) -> list[ExportItem] | None:
    """The assets of an NDJSON export, ``(line number, parsed record)`` each; None when a record is not
    an asset."""
    if not lines or not all(is_asset(record) for _, record in lines):
        return None
    return [_item(record, "", number) for number, record in lines]
