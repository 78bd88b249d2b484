"""Exports of the catalog: JSON, YAML, CSV, XLSX and Markdown (OSCAL is in :mod:`oscal`)."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from csmguard.catalog.model import Catalog, Node
from csmguard.cells import SafeCsvWriter, append_row
from csmguard.domain import Lang


def node_record(node: Node, rules: Sequence[str] = ()) -> dict[str, Any]:
    """A node as a plain JSON-able record (both languages); ``rules`` are the rule IDs that test it."""
    return {
        "id": node.id,
        "parent": node.parent,
        "kind": node.kind.value,
        "chapter": node.chapter,
        "article": node.article,
        "paragraph": node.paragraph,
        "item": node.item,
        "title": node.title.as_dict(),
        "text": node.text.as_dict() if node.text else None,
        "level": node.level.value if node.level else None,
        "weaker_clauses": [{"level": c.level.value, "text": c.text.as_dict()} for c in node.weaker_clauses],
        "actor": node.actor.value if node.actor else None,
        "domain": node.domain.value,
        "applies_when": [{"question": c.question, "answer": c.answer} for c in node.applies_when],
        "check": {"method": node.check.value if node.check else None, "rules": sorted(rules)},
        "evidence": [e.as_dict() for e in node.evidence],
        "mappings": [m.model_dump(mode="json") for m in node.mappings],
    }


def catalog_records(catalog: Catalog, coverage: Mapping[str, Sequence[str]]) -> list[dict[str, Any]]:
    """Every node as a record, in text order."""
    return [node_record(node, coverage.get(node.id, ())) for node in catalog.nodes]


def to_yaml(catalog: Catalog, coverage: Mapping[str, Sequence[str]]) -> str:
    """The flat node list as YAML, with the edition and the scope questions."""
    document = {
        "edition": catalog.edition,
        "title": catalog.title.as_dict(),
        "questions": [{"id": q.id, "text": q.text.as_dict(), "help": q.help.as_dict()} for q in catalog.questions],
        "nodes": catalog_records(catalog, coverage),
    }
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=120)


TABULAR_COLUMNS = ("id", "parent", "chapter", "article", "title", "level", "actor", "domain", "applies_when",
                   "check", "rules", "text", "evidence", "mappings")


def tabular_rows(catalog: Catalog, coverage: Mapping[str, Sequence[str]], lang: Lang) -> list[list[str]]:
    """One row per node with texts in ``lang``, for CSV and XLSX."""
    rows: list[list[str]] = []
    for node in catalog.nodes:
        rows.append([
            node.id, node.parent or "", str(node.chapter), str(node.article), node.title.get(lang),
            node.level.value if node.level else "", node.actor.value if node.actor else "", node.domain.value,
            "; ".join(f"{c.question}={'yes' if c.answer else 'no'}" for c in node.applies_when),
            node.check.value if node.check else "", " ".join(sorted(coverage.get(node.id, ()))),
            node.text.get(lang) if node.text else "",
            "\n".join(e.get(lang) for e in node.evidence),
            "\n".join(f"{m.framework} {m.control} ({m.relationship.value})" for m in node.mappings),
        ])
    return rows


def to_csv(catalog: Catalog, coverage: Mapping[str, Sequence[str]], lang: Lang) -> str:
    """The catalog as CSV (UTF-8), one row per node."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer)
    writer.writerow(TABULAR_COLUMNS)
    writer.writerows(tabular_rows(catalog, coverage, lang))
    return buffer.getvalue()


def to_xlsx(catalog: Catalog, coverage: Mapping[str, Sequence[str]], lang: Lang) -> bytes:
    """The catalog as an XLSX workbook: a sheet of nodes and a sheet of mappings."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "catalog"
    append_row(sheet, TABULAR_COLUMNS)
    for row in tabular_rows(catalog, coverage, lang):
        append_row(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFGHIJKLMN", (12, 10, 8, 8, 24, 10, 22, 13, 36, 10, 20, 70, 50, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    mappings = workbook.create_sheet("mappings")
    append_row(mappings, ["id", "framework", "control", "relationship"])
    for node in catalog.nodes:
        for m in node.mappings:
            append_row(mappings, [node.id, m.framework, m.control, m.relationship.value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_markdown(catalog: Catalog, coverage: Mapping[str, Sequence[str]], lang: Lang) -> str:
    """The catalog as a Markdown document, chapter by chapter."""
    zh = lang is Lang.ZH_TW
    lines = [f"# {catalog.title.get(lang)}", "", f"{'版本' if zh else 'Edition'}: `{catalog.edition}`", ""]
    for chapter in catalog.chapters:
        lines += [f"## {'第' + str(chapter.number) + '章' if zh else 'Chapter ' + str(chapter.number)} "
                  f"{chapter.title.get(lang)}", ""]
        for node in (n for n in catalog.nodes if n.chapter == chapter.number):
            if node.parent is None:
                lines += [f"### {node.id} {node.title.get(lang)}", ""]
            if node.text is None:
                continue
            level = node.level.value if node.level else ""
            lines.append(f"- **{node.id}** `{level}` {node.text.get(lang)}")
            rules = coverage.get(node.id)
            if rules:
                lines.append(f"  - {'檢測規則' if zh else 'Rules'}: {', '.join(sorted(rules))}")
            if node.mappings:
                lines.append(f"  - {'對應' if zh else 'Mappings'}: "
                             + "; ".join(f"{m.framework} {m.control} ({m.relationship.value})" for m in node.mappings))
        lines.append("")
    return "\n".join(lines)
