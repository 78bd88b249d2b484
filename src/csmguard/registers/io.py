"""Reading and writing register records as CSV, XLSX and YAML, with zh-TW or English column headers.

Reading validates every row before anything is written and reports every bad row with its column."""

from __future__ import annotations

import csv
import io
import types
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from pydantic import ValidationError

from csmguard.domain.errors import InputError
from csmguard.registers.fields import RegisterRecord
from csmguard.registers.specs import RegisterSpec
from csmguard.scanning.budget import safe_load_yaml
from csmguard.scanning.safezip import SafeZipError, check_office_archive

TRUE_WORDS = {"是", "有", "v", "✓"}
FALSE_WORDS = {"否", "無", "x", "✗"}


class RegisterFormat(StrEnum):
    """File formats of register import and export."""

    CSV = "csv"
    XLSX = "xlsx"
    YAML = "yaml"


@dataclass(frozen=True)
class RowError:
    """One problem of one row of an import file: the row number, the column and what is wrong."""

    row: int
    column: str | None
    message: str

    def describe(self) -> str:
        """``row N, column C: message``."""
        return f"row {self.row}" + (f", column {self.column}" if self.column else "") + f": {self.message}"


class RegisterImportError(InputError):
    """An import that was refused as a whole, with every bad row."""

    def __init__(self, file: str, errors: list[RowError]) -> None:
        self.errors = errors
        lines = "; ".join(e.describe() for e in errors[:50])
        more = f" (and {len(errors) - 50} more)" if len(errors) > 50 else ""
        super().__init__(file, f"{len(errors)} bad row(s), nothing imported: {lines}{more}")


def guess_format(path: Path) -> RegisterFormat:
    """The format of a file from its extension."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix in {"yml", "yaml"}:
        return RegisterFormat.YAML
    if suffix in {"xlsx", "xlsm"}:
        return RegisterFormat.XLSX
    if suffix == "csv":
        return RegisterFormat.CSV
    raise InputError(str(path), "unknown file type: use .csv, .xlsx or .yaml")


def _base_type(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def field_kinds(spec: RegisterSpec) -> dict[str, Any]:
    """Field name → its base type (``bool``, ``date``, an enum, ``tuple`` …)."""
    out: dict[str, Any] = {}
    for name, info in spec.model.model_fields.items():
        base = _base_type(info.annotation)
        out[name] = tuple if typing.get_origin(base) in (tuple, list) else base
    return out


def header_map(spec: RegisterSpec) -> dict[str, str]:
    """Every accepted column header (field name, English or zh-TW label; any case) → field name."""
    out: dict[str, str] = {}
    for lang in ("en", "zh-TW"):
        for name, text in spec.labels(lang).items():
            out[text.strip().lower()] = name
    for name in spec.fields():
        out[name.lower()] = name
    return out


# --- reading -------------------------------------------------------------------------------------------


def _cell_in(value: Any, kind: Any) -> Any:
    """A cell read from a file, made ready for validation (None when empty)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            return None
        if kind is bool and value.lower() in TRUE_WORDS:
            return True
        if kind is bool and value.lower() in FALSE_WORDS:
            return False
    if isinstance(value, datetime) and kind is date:
        return value.date()
    if isinstance(value, int | float) and not isinstance(value, bool) and kind is str:
        return str(int(value)) if float(value).is_integer() else str(value)
    if isinstance(value, date) and not isinstance(value, datetime) and kind is datetime:
        return datetime(value.year, value.month, value.day)
    return value


def _table_rows(header: list[Any], body: list[tuple[int, list[Any]]], spec: RegisterSpec
                ) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError], dict[str, str]]:
    known = header_map(spec)
    errors: list[RowError] = []
    columns: list[str | None] = []
    titles: list[str] = []
    shown: dict[str, str] = {}
    for cell in header:
        title = "" if cell is None else str(cell).strip()
        titles.append(title)
        name = known.get(title.lower())
        if title and name is None:
            errors.append(RowError(1, title, "unknown column"))
        if name is not None:
            if name in shown:
                errors.append(RowError(1, title, "column appears twice"))
            shown[name] = title
        columns.append(name)
    rows: list[tuple[int, dict[str, Any]]] = []
    for number, cells in body:
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        data: dict[str, Any] = {}
        for index, cell in enumerate(cells):
            name = columns[index] if index < len(columns) else None
            if name is None:
                headed = index < len(titles) and titles[index]
                if cell not in (None, "") and not headed:
                    errors.append(RowError(number, f"#{index + 1}", "value in a column without a header"))
                continue
            data[name] = cell
        rows.append((number, data))
    return rows, errors, shown


def read_file(spec: RegisterSpec, path: Path, fmt: RegisterFormat | None = None
              ) -> tuple[list[tuple[int, dict[str, Any]]], list[RowError], dict[str, str]]:
    """The rows of an import file as (row number, field → raw value), header errors, and the header
    text used for each field (to name columns in errors as the file does)."""
    fmt = fmt or guess_format(path)
    try:
        if fmt is RegisterFormat.CSV:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                table = list(csv.reader(handle))
            if not table:
                return [], [], {}
            return _table_rows(table[0], [(i + 2, list(r)) for i, r in enumerate(table[1:])], spec)
        if fmt is RegisterFormat.XLSX:
            check_office_archive(path)  # a decompression bomb or entity declarations, before openpyxl
            book = load_workbook(path, read_only=True, data_only=True)
            sheet = book.worksheets[0]
            grid = [list(r) for r in sheet.iter_rows(values_only=True)]
            book.close()
            if not grid:
                return [], [], {}
            return _table_rows(grid[0], [(i + 2, r) for i, r in enumerate(grid[1:])], spec)
        data = safe_load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, csv.Error, yaml.YAMLError, SafeZipError) as exc:
        raise InputError(str(path), f"cannot read as {fmt.value}: {exc}") from exc
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(str(path), f"cannot read as {fmt.value}: {exc}") from exc
    if data is None:
        return [], [], {}
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise InputError(str(path), "a YAML register file is a list of records (or a mapping with 'records')")
    known = header_map(spec)
    rows: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(index, None, "a record is a mapping of field: value"))
            continue
        mapped: dict[str, Any] = {}
        for key, value in item.items():
            name = known.get(str(key).strip().lower())
            if name is None:
                errors.append(RowError(index, str(key), "unknown field"))
            else:
                mapped[name] = value
        rows.append((index, mapped))
    return rows, errors, {name: name for name in spec.fields()}


def validate_rows(spec: RegisterSpec, rows: list[tuple[int, dict[str, Any]]], columns: dict[str, str]
                  ) -> tuple[list[tuple[int, RegisterRecord]], list[RowError]]:
    """Every row as a typed record, or every problem with its row and column; duplicate keys too."""
    kinds = field_kinds(spec)
    records: list[tuple[int, RegisterRecord]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    for number, raw in rows:
        data = {name: value for name, value in ((n, _cell_in(v, kinds.get(n))) for n, v in raw.items())
                if value is not None}
        try:
            record = spec.model.model_validate(data)
        except ValidationError as exc:
            for item in exc.errors():
                name = str(item["loc"][0]) if item["loc"] else None
                column = columns.get(name, name) if name else None
                errors.append(RowError(number, column, str(item["msg"])))
            continue
        key = record.key()
        if key in seen:
            errors.append(RowError(number, ", ".join(columns.get(k, k) for k in spec.key_fields),
                                   f"duplicate of row {seen[key]} (same {'/'.join(spec.key_fields)}: {key})"))
            continue
        seen[key] = number
        records.append((number, record))
    return records, errors


# --- writing -------------------------------------------------------------------------------------------


def _cell_out(value: Any, *, for_xlsx: bool) -> Any:
    if value is None:
        return None if for_xlsx else ""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
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
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(header)
        for record in records:
            writer.writerow([_cell_out(getattr(record, name), for_xlsx=False) for name in fields])
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")
    book = Workbook()
    sheet = book.active
    sheet.title = spec.kind[:31]
    sheet.append(header)
    for record in records:
        sheet.append([_cell_out(getattr(record, name), for_xlsx=True) for name in fields])
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
            expected = "以分號分隔" if zh else "items separated by ;"
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
    sheet.append(["欄位", "標題", "格式", "必填"] if lang == "zh-TW" else ["field", "header", "format", "required"])
    for row in field_help(spec, lang):
        sheet.append(list(row))


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
