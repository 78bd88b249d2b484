"""Azure exports: Azure Resource Graph query results (``az graph query`` output with ``data``, the REST
answer in the object-array format, or the bare list of rows ``--query data`` or ``Search-AzGraph``
gives). A row is recognised by its Azure resource ID and type."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from csmguard.scanners.iac.exportmap import ExportItem
from csmguard.scanners.iac.facts import AZURE_GRAPH

PROVIDER = "azure"
_ENVELOPE = {"count", "total_records", "totalrecords", "skip_token", "$skiptoken", "facets", "resulttruncated"}


def is_row(value: object) -> bool:
    """Whether ``value`` is a Resource Graph row of an Azure resource (``id`` and ``type``)."""
    if not isinstance(value, Mapping):
        return False
    ident, kind = value.get("id"), value.get("type")
    return (isinstance(ident, str) and ident.lower().startswith(("/subscriptions/", "/providers/"))
            and isinstance(kind, str) and "/" in kind)


def read_items(doc: Any) -> tuple[str, list[ExportItem]] | None:
    """(source, items) when ``doc`` is a Resource Graph result, else None."""
    rows: Any = None
    prefix = ""
    if isinstance(doc, Mapping) and isinstance(doc.get("data"), list) and (
            {str(k).lower() for k in doc} & _ENVELOPE):
        rows, prefix = doc["data"], "/data"
    elif isinstance(doc, list):
        rows = doc
    if not isinstance(rows, list) or not rows or not all(is_row(r) for r in rows):
        return None
    return AZURE_GRAPH, [ExportItem(type=str(row["type"]).lower(), live_id=str(row["id"]), pointer=f"{prefix}/{i}",
                                    keys=(str(row["id"]).lower(),), roots={"": row, "item": row})
                         for i, row in enumerate(rows)]
