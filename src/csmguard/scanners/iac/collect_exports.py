"""Reading exported live cloud configuration into the resources the IaC rules judge: AWS Config
configuration items and ``aws … describe-*`` outputs, Azure Resource Graph query results, GCP Cloud
Asset Inventory exports (JSON and NDJSON). Each provider's reader recognises its document shapes and
yields items; once every file is read, the provider's mapping table (:mod:`csmguard.scanners.iac.exportmap`)
turns each item into Terraform-shaped resources. An item of a type the table lacks is counted as unmapped, never dropped
silently; a document of none of these shapes is not an export (the caller tries the other formats)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from csmguard.scanners.iac import collect_aws_export, collect_azure_graph, collect_gcp_assets
from csmguard.scanners.iac.collect_terraform import provider_of
from csmguard.scanners.iac.exportmap import (
    Deriver,
    ExportItem,
    apply_fields,
    elements,
    load_map,
)
from csmguard.scanners.iac.facts import Resource

DERIVERS: Mapping[str, Deriver] = {**collect_aws_export.DERIVERS}
"""The collector functions a mapping table may name in ``derive`` (one name, one function)."""


@dataclass
class ExportRead:
    """The resources read from the export files of a scan, the number of items, and the types not
    checked by count."""

    resources: list[Resource] = field(default_factory=list)
    items: int = 0
    unmapped: Counter[str] = field(default_factory=Counter)


@dataclass(frozen=True)
class ExportFile:
    """The items one export file holds, before mapping (files are mapped together, so that an item may
    refer to an item of another file of the same provider: an instance to its volumes, a volume to its key)."""

    provider: str
    source: str
    items: tuple[ExportItem, ...]
    display: str


def read_export(doc: Any, display: str) -> ExportFile | None:
    """The items of a parsed export document; None when ``doc`` is no export this scanner reads."""
    for reader in (collect_aws_export, collect_azure_graph, collect_gcp_assets):
        found = reader.read_items(doc)
        if found is not None:
            source, items = found
            return ExportFile(reader.PROVIDER, source, tuple(items), display)
    return None


def read_ndjson_export(lines: list[tuple[int, Any]], display: str) -> ExportFile | None:
    """The items of an NDJSON export (one asset per line, ``gcloud asset export`` to Cloud Storage);
    None when the records are not Cloud Asset Inventory assets."""
    items = collect_gcp_assets.line_items(lines)
    if items is None:
        return None
    return ExportFile(collect_gcp_assets.PROVIDER, collect_gcp_assets.SOURCE, tuple(items), display)


def _map_item(item: ExportItem, export: ExportFile, index: Mapping[str, Mapping[str, Any]], out: ExportRead) -> None:
    targets = load_map(export.provider).targets(item.type)
    if targets is None:
        out.unmapped[item.type] += 1
        return
    before = len(out.resources)
    for position, target in enumerate(targets):
        for suffix, roots in elements(target, {**item.roots, "index": index}):
            attributes = apply_fields(target.attributes, roots)
            if target.derive is not None:
                DERIVERS[target.derive](attributes, roots)
            address = item.live_id if position == 0 and not suffix else f"{item.live_id}#{target.type}{suffix}"
            out.resources.append(Resource(
                provider=provider_of(target.type), type=target.type, address=address, attributes=attributes,
                file=export.display, line=item.line, source=export.source, scope=export.display,
                pointer=item.pointer))
    if targets and len(out.resources) == before:  # a mapped type, but this item carries nothing to judge
        out.unmapped[f"{item.type} (item without the configuration the rules read)"] += 1


def map_exports(exports: Sequence[ExportFile]) -> ExportRead:
    """The resources the items of ``exports`` become under their providers' mapping tables; the items of
    one provider's files are looked up by ID across files."""
    indexes: dict[str, dict[str, Mapping[str, Any]]] = {}
    for export in exports:
        index = indexes.setdefault(export.provider, {})
        for item in export.items:
            for key in item.keys:
                index.setdefault(key, item.roots)
    out = ExportRead()
    for export in exports:
        out.items += len(export.items)
        for item in export.items:
            _map_item(item, export, indexes[export.provider], out)
    return out
