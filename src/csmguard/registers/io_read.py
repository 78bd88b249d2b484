"""Reading register import files (CSV, XLSX, YAML) under a row cap, and summarised row errors.

Files are read as a stream (CSV line by line, XLSX in openpyxl's read-only mode): a file with more data
rows than the cap is refused as soon as the row after the cap is read, without reading the rest."""

from __future__ import annotations

import csv
import types
import typing
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from csmguard.cells import restore
from csmguard.domain.errors import InputError
from csmguard.registers import choices
from csmguard.registers.fields import RegisterRecord
from csmguard.registers.specs import RegisterSpec
from csmguard.scanning.budget import safe_load_yaml
from csmguard.scanning.safezip import SafeZipError, check_office_archive

TRUE_WORDS = {"是", "有", "v", "✓"}
FALSE_WORDS = {"否", "無", "x", "✗"}
DEFAULT_MAX_ROWS = 100_000
SHOWN_ERRORS = 20
# Cells this far right of the last headed column are read (and reported as values without a header);
# an XLSX whose rows claim thousands of columns is not padded to that width.
EXTRA_COLUMNS = 16
MAX_HEADER_COLUMNS = 512

Rows = list[tuple[int, dict[str, Any]]]


class RegisterFormat(StrEnum):
    """File formats of register import and export."""

    CSV = "csv"
    XLSX = "xlsx"
    YAML = "yaml"


@dataclass(frozen=True)
class RowError:
    """One problem of one row of an import file: the row number, the column and what is wrong; ``kind``
    groups errors of the same sort for the summary."""

    row: int
    column: str | None
    message: str
    kind: str = ""

    def describe(self) -> str:
        """``row N, column C: message``."""
        return f"row {self.row}" + (f", column {self.column}" if self.column else "") + f": {self.message}"

    def kind_text(self) -> str:
        """What errors of this kind say: ``column C: message`` of the first one."""
        return (f"column {self.column}: " if self.column else "") + self.message


@dataclass(frozen=True)
class KindSummary:
    """How many more errors of one kind there are beyond the ones shown."""

    count: int
    example: RowError

    def describe(self) -> str:
        """``and N more rows with: column C: message``."""
        return f"and {self.count:,} more row(s) with: {self.example.kind_text()}"


@dataclass
class ImportErrors:
    """Row errors as they are found: the first ``shown`` kept in full, the rest counted by kind."""

    shown: int = SHOWN_ERRORS
    first: list[RowError] = field(default_factory=list)
    more: Counter[str] = field(default_factory=Counter)
    examples: dict[str, RowError] = field(default_factory=dict)
    total: int = 0

    def add(self, error: RowError) -> None:
        """Record one error."""
        self.total += 1
        if len(self.first) < self.shown:
            self.first.append(error)
            return
        kind = error.kind or error.kind_text()
        self.more[kind] += 1
        self.examples.setdefault(kind, error)

    def extend(self, errors: Iterable[RowError]) -> None:
        """Record several errors."""
        for error in errors:
            self.add(error)

    def summary(self) -> list[KindSummary]:
        """One line per kind of the errors not shown, the most frequent first."""
        return [KindSummary(count, self.examples[kind]) for kind, count in self.more.most_common()]

    def __bool__(self) -> bool:
        return self.total > 0


class RegisterImportError(InputError):
    """An import that was refused as a whole: the first errors in full, then one line per kind."""

    def __init__(self, file: str, errors: ImportErrors | list[RowError]) -> None:
        if isinstance(errors, list):
            collected = ImportErrors()
            collected.extend(errors)
            errors = collected
        self.errors = errors.first
        self.summary = errors.summary()
        self.total = errors.total
        lines = "; ".join(line.describe() for line in self.lines())
        super().__init__(file, f"{self.total:,} error(s), nothing imported: {lines}")

    def lines(self) -> list[RowError | KindSummary]:
        """What to show: the first errors, then the summary of the others."""
        return [*self.errors, *self.summary]


class RowCapExceeded(InputError):
    """An import file with more data rows than allowed (or, blank rows included, more than twice that)."""

    def __init__(self, file: str, cap: int, *, with_blank: bool = False) -> None:
        self.cap = cap
        what = f"more than {2 * cap:,} rows, blank ones included" if with_blank else f"more than {cap:,} data rows"
        super().__init__(file, f"{what}: the import limit is {cap:,} rows (raise it with --max-rows); nothing "
                               "imported, the rest of the file was not read")


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
        for name, label in spec.labels(lang).items():
            out[label.strip().lower()] = name
    for name in spec.fields():
        out[name.lower()] = name
    return out


def _cell_in(value: Any, kind: Any) -> Any:
    """A cell read from a file, made ready for validation (None when empty); a coded choice may be typed as
    its zh-TW or English label or, for a number like the STAR level, as a number (see
    :mod:`csmguard.registers.choices`)."""
    if value is None:
        return None
    if isinstance(kind, type) and issubclass(kind, Enum):
        return None if isinstance(value, str) and not value.strip() else choices.parse(kind, value)
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


def _blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _table_rows(header: Iterable[Any], body: Iterator[tuple[int, Iterable[Any]]], spec: RegisterSpec, file: str,
                max_rows: int) -> tuple[Rows, list[RowError], dict[str, str]]:
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
            errors.append(RowError(1, title, "unknown column", "unknown column"))
        if name is not None:
            if name in shown:
                errors.append(RowError(1, title, "column appears twice", "column twice"))
            shown[name] = title
        columns.append(name)
    rows: Rows = []
    for read, (number, cells) in enumerate(body, start=1):
        values = list(cells)
        if _blank(values):
            if read > 2 * max_rows:  # blank rows cost time too: they are bounded, more loosely
                raise RowCapExceeded(file, max_rows, with_blank=True)
            continue
        if len(rows) >= max_rows:
            raise RowCapExceeded(file, max_rows)
        data: dict[str, Any] = {}
        for index, cell in enumerate(values):
            name = columns[index] if index < len(columns) else None
            if name is None:
                headed = index < len(titles) and titles[index]
                if cell not in (None, "") and not headed:
                    errors.append(RowError(number, f"#{index + 1}", "value in a column without a header",
                                           "no header"))
                continue
            data[name] = restore(cell)  # CSV/XLSX only: the exporter's protective quote (csmguard.cells)
        rows.append((number, data))
    return rows, errors, shown


def _read_csv(spec: RegisterSpec, path: Path, max_rows: int) -> tuple[Rows, list[RowError], dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return [], [], {}
        return _table_rows(header, enumerate(reader, start=2), spec, str(path), max_rows)


def _read_xlsx(spec: RegisterSpec, path: Path, max_rows: int) -> tuple[Rows, list[RowError], dict[str, str]]:
    from openpyxl import load_workbook

    check_office_archive(path)  # a decompression bomb or entity declarations, before openpyxl reads it
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the sheet's claimed size is not trusted: rows are read as they come
        header_row = next(sheet.iter_rows(max_row=1, max_col=MAX_HEADER_COLUMNS, values_only=True), None)
        if header_row is None:
            return [], [], {}
        header = list(header_row)
        while header and (header[-1] is None or not str(header[-1]).strip()):
            header.pop()
        width = max(len(header), 1) + EXTRA_COLUMNS
        body = ((number, row) for number, row in enumerate(
            sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2))
        return _table_rows(header, body, spec, str(path), max_rows)
    finally:
        book.close()


def _read_yaml(spec: RegisterSpec, path: Path, max_rows: int) -> tuple[Rows, list[RowError], dict[str, str]]:
    data = safe_load_yaml(path.read_text(encoding="utf-8"))  # within the alias/expansion budget
    if data is None:
        return [], [], {}
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise InputError(str(path), "a YAML register file is a list of records (or a mapping with 'records')")
    if len(data) > max_rows:
        raise RowCapExceeded(str(path), max_rows)
    known = header_map(spec)
    rows: Rows = []
    errors: list[RowError] = []
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            errors.append(RowError(index, None, "a record is a mapping of field: value", "not a mapping"))
            continue
        mapped: dict[str, Any] = {}
        for key, value in item.items():
            name = known.get(str(key).strip().lower())
            if name is None:
                errors.append(RowError(index, str(key), "unknown field", "unknown field"))
            else:
                mapped[name] = value
        rows.append((index, mapped))
    return rows, errors, {name: name for name in spec.fields()}


def read_file(spec: RegisterSpec, path: Path, fmt: RegisterFormat | None = None, *,
              max_rows: int = DEFAULT_MAX_ROWS) -> tuple[Rows, list[RowError], dict[str, str]]:
    """The rows of an import file as (row number, field → raw value), header errors, and the header
    text used for each field (to name columns in errors as the file does). :class:`RowCapExceeded` when
    the file has more than ``max_rows`` data rows (blank rows are skipped and not counted)."""
    fmt = fmt or guess_format(path)
    readers = {RegisterFormat.CSV: _read_csv, RegisterFormat.XLSX: _read_xlsx, RegisterFormat.YAML: _read_yaml}
    try:
        return readers[fmt](spec, path, max_rows)
    except InputError:
        raise
    except (OSError, UnicodeDecodeError, csv.Error, yaml.YAMLError, SafeZipError) as exc:
        raise InputError(str(path), f"cannot read as {fmt.value}: {exc}") from exc
    except Exception as exc:  # openpyxl raises many types for a file that is not a workbook
        raise InputError(str(path), f"cannot read as {fmt.value}: {exc}") from exc


def validate_rows(spec: RegisterSpec, rows: Rows, columns: dict[str, str]
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
                errors.append(RowError(number, column, str(item["msg"]), f"{column}:{item['type']}"))
            continue
        key = record.key()
        if key in seen:
            errors.append(RowError(number, ", ".join(columns.get(k, k) for k in spec.key_fields),
                                   f"duplicate of row {seen[key]} (same {'/'.join(spec.key_fields)}: {key})",
                                   "duplicate key"))
            continue
        seen[key] = number
        records.append((number, record))
    return records, errors
