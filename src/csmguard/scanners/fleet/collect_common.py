"""Streaming readers shared by the adapters: JSON arrays and pages (ijson), JSON lines (orjson), CSV.

Every reader yields ``(row, record)`` pairs, one record at a time, or a :class:`ScanError` for a record
that cannot be read; a whole export is never held in memory.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import ijson  # type: ignore[import-untyped]
import orjson

from csmguard.domain import ScanError
from csmguard.scanners.fleet.facts import Device
from csmguard.scanners.fleet.values import FieldError
from csmguard.scanning.budget import BudgetExceeded, JsonDepthGauge, load_json_line

Record = tuple[int, Any]
DeviceStream = Iterator[Device | ScanError]
Normaliser = Callable[[Mapping[str, Any], str, int], Device]

CSV_MAX_FIELD = 10 * 1024 * 1024


def reject(source: str, message: str, *, row: int | None = None, field: str | None = None) -> ScanError:
    """A rejected record (or file when ``row`` is None), naming file, row and field."""
    return ScanError(target=source, path=source, row=row, field=field, message=message)


class _GaugedReader:
    """A binary file whose bytes pass through a nesting gauge as the parser reads them: ijson keeps one
    prefix string per open level, so memory would grow with the square of the depth."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self._gauge = JsonDepthGauge()

    def read(self, size: int = -1) -> bytes:
        """The next bytes of the file, after the gauge has seen them."""
        data = self._handle.read(size)
        self._gauge.feed(data)
        return data


def iter_json_items(path: Path, prefix: str) -> Iterator[Record | ScanError]:
    """The items under ``prefix`` (``item`` for a top-level array, ``value.item`` for a Graph page),
    streamed; a syntax error, or nesting past the budget, ends the file with one error naming the last
    good record."""
    source = str(path)
    row = 0
    try:
        with path.open("rb") as handle:
            for item in ijson.items(_GaugedReader(handle), prefix, use_float=True):
                row += 1
                yield row, item
    except (ijson.JSONError, ijson.IncompleteJSONError, UnicodeDecodeError) as exc:
        yield reject(source, f"not valid JSON after record {row}: {str(exc)[:200]}")
    except BudgetExceeded as exc:
        yield reject(source, f"not read past record {row}: {exc}")
    except OSError as exc:
        yield reject(source, f"cannot read: {exc.strerror}")


def iter_json_lines(path: Path) -> Iterator[Record | ScanError]:
    """One JSON object per line; a line that is not JSON is a rejected record, blank lines are skipped."""
    source = str(path)
    try:
        with path.open("rb") as handle:
            for row, line in enumerate(handle, start=1):
                if line.isspace():  # (no copy of the line, unlike strip)
                    continue
                try:
                    yield row, load_json_line(line)
                except orjson.JSONDecodeError as exc:
                    yield reject(source, f"line is not valid JSON: {str(exc)[:120]}", row=row)
                except BudgetExceeded as exc:
                    yield reject(source, f"line not read: {exc}", row=row)
    except OSError as exc:
        yield reject(source, f"cannot read: {exc.strerror}")


def header_key(name: str) -> str:
    """A column name reduced for matching: lower case, no BOM, spaces, underscores, hyphens or dots."""
    return "".join(ch for ch in name.lower().lstrip("\ufeff") if ch not in " _-./()")


def iter_csv(path: Path, aliases: Mapping[str, str], required: Iterable[str]) -> Iterator[Record | ScanError]:
    """Rows of a CSV export as dicts keyed by canonical field names (``aliases``: reduced header → field).

    Headers match case-insensitively and ignoring spaces and punctuation; unknown columns are ignored; a
    missing required column rejects the file. Row numbers are the file's line numbers (header = 1).
    """
    source = str(path)
    csv.field_size_limit(CSV_MAX_FIELD)
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            try:
                header = next(reader)
            except StopIteration:
                yield reject(source, "the CSV file is empty")
                return
            columns = [aliases.get(header_key(name)) for name in header]
            missing = [f for f in required if f not in columns]
            if missing:
                yield reject(source, f"no column for {', '.join(missing)} (columns: {', '.join(header)[:300]})",
                             field=missing[0])
                return
            width = len(header)
            for cells in reader:
                row = reader.line_num
                if not any(cell.strip() for cell in cells):
                    continue
                if len(cells) != width:
                    yield reject(source, f"row has {len(cells)} cells, the header has {width}", row=row)
                    continue
                yield row, {col: cell for col, cell in zip(columns, cells, strict=True) if col is not None}
    except UnicodeDecodeError as exc:
        yield reject(source, f"not UTF-8 text: {exc.reason}")
    except csv.Error as exc:
        yield reject(source, f"not valid CSV: {exc}")
    except OSError as exc:
        yield reject(source, f"cannot read: {exc.strerror}")


def to_devices(source: str, records: Iterable[Record | ScanError], normalise: Normaliser) -> DeviceStream:
    """Normalise each record into a :class:`Device`; a bad field rejects the record with row and field."""
    for entry in records:
        if isinstance(entry, ScanError):
            yield entry
            continue
        row, raw = entry
        if not isinstance(raw, dict):
            yield reject(source, f"expected a JSON object, got {type(raw).__name__}", row=row)
            continue
        try:
            yield normalise(raw, source, row)
        except FieldError as exc:
            yield reject(source, exc.message, row=row, field=exc.field)


def require_id(value: object, field: str) -> str:
    """The record's device ID; a record without one cannot be evaluated."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldError(field, "the device has no ID")
    if isinstance(value, dict):  # Workspace ONE: {"Value": 123}
        inner = value.get("Value", value.get("value"))
        return require_id(inner, field)
    return str(value).strip()
