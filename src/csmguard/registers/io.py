"""Writing register records as CSV, XLSX and YAML, with zh-TW or English column headers (reading is in
:mod:`csmguard.registers.io_read`, re-exported here). Text cells go through :mod:`csmguard.cells`, so no
exported value can become a spreadsheet formula."""

from __future__ import annotations

import io
from datetime import date, datetime
from enum import Enum
from typing import Any

import yaml
from openpyxl import Workbook

from csmguard.cells import SafeCsvWriter, append_row
from csmguard.registers.fields import RegisterRecord, join_list
from csmguard.registers.io_read import (
    DEFAULT_MAX_ROWS,
    ImportErrors,
    KindSummary,
    RegisterFormat,
    RegisterImportError,
    RowCapExceeded,
    RowError,
    field_kinds,
    guess_format,
    header_map,
    read_file,
    validate_rows,
)
from csmguard.registers.specs import RegisterSpec

__all__ = [
    "DEFAULT_MAX_ROWS",
    "ImportErrors",
    "KindSummary",
    "RegisterFormat",
    "RegisterImportError",
    "RowCapExceeded",
    "RowError",
    "field_help",
    "field_kinds",
    "guess_format",
    "header_map",
    "read_file",
    "template",
    "validate_rows",
    "write_records",
]

# --- writing -------------------------------------------------------------------------------------------


def _cell_out(value: Any, *, for_xlsx: bool) -> Any:
    if value is None:
        return None if for_xlsx else ""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return join_list(value)
    if isinstance(value, datetime | date):
        return value if for_xlsx else value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return value


def write_records(spec: RegisterSpec, records: list[RegisterRecord], fmt: RegisterFormat, lang: str) -> bytes:
    """The records in ``fmt``: CSV and XLSX with headers in ``lang``; YAML keyed by field name."""
    fields = spec.fields()
    if fmt is RegisterFormat.YAML:
        items = [{k: v for k, v in record.model_dump(mode="json").items() if v is not None} for record in records]
        return yaml.safe_dump(items, allow_unicode=True, sort_keys=False).encode("utf-8")
    labels = spec.labels(lang)
    header = [labels[name] for name in fields]
    if fmt is RegisterFormat.CSV:
        buffer = io.StringIO()
        writer = SafeCsvWriter(buffer, lineterminator="\n")
        writer.writerow(header)
        for record in records:
            writer.writerow([_cell_out(getattr(record, name), for_xlsx=False) for name in fields])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = spec.kind[:31]
    append_row(sheet, header)
    for record in records:
        append_row(sheet, [_cell_out(getattr(record, name), for_xlsx=True) for name in fields])
    for column in sheet.iter_cols(min_row=2):
        for cell in column:
            if isinstance(cell.value, datetime):
                cell.number_format = "yyyy-mm-dd hh:mm:ss"
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    _help_sheet(book, spec, lang)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def field_help(spec: RegisterSpec, lang: str) -> list[tuple[str, str, str, str]]:
    """(field, label, expected value, required) of every field, for templates."""
    zh = lang == "zh-TW"
    labels = spec.labels(lang)
    rows = []
    for name, info in spec.model.model_fields.items():
        kind = field_kinds(spec)[name]
        if isinstance(kind, type) and issubclass(kind, Enum):
            expected = " | ".join(str(m.value) for m in kind)
        elif kind is bool:
            expected = "true | false（是 | 否）" if zh else "true | false"
        elif kind is datetime:
            expected = "YYYY-MM-DD HH:MM"
        elif kind is date:
            expected = "YYYY-MM-DD"
        elif kind is tuple:
            expected = "以分號（; 或 ；）或換行分隔" if zh else "items separated by ; (or ；) or new lines"
        elif kind in (int, float):
            expected = "數字" if zh else "number"
        else:
            expected = "文字" if zh else "text"
        if name in {"period"}:
            expected = "YYYY-MM | YYYY-Qn"
        required = ("必填" if zh else "required") if info.is_required() else ""
        rows.append((name, labels[name], expected, required))
    return rows


def _help_sheet(book: Workbook, spec: RegisterSpec, lang: str) -> None:
    sheet = book.create_sheet("說明" if lang == "zh-TW" else "help")
    zh = lang == "zh-TW"
    append_row(sheet, ["欄位", "標題", "格式", "必填"] if zh else ["field", "header", "format", "required"])
    for row in field_help(spec, lang):
        append_row(sheet, row)


def template(spec: RegisterSpec, fmt: RegisterFormat, lang: str) -> bytes:
    """An empty file to fill in: the header row (CSV, XLSX with a help sheet) or a commented YAML list."""
    if fmt is not RegisterFormat.YAML:
        return write_records(spec, [], fmt, lang)
    lines = [f"# {spec.title.get(lang)} ({spec.kind})", "# " + ("每筆紀錄一個項目；欄位：" if lang == "zh-TW" else
                                                                 "One item per record; fields:")]
    for name, label, expected, required in field_help(spec, lang):
        lines.append(f"#   {name}: {expected}  # {label}{' (' + required + ')' if required else ''}")
    lines.append("[]")
    return ("\n".join(lines) + "\n").encode("utf-8")
