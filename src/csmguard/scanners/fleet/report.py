"""Per-device result tables, written row by row as devices are evaluated: CSV and XLSX."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from csmguard.cells import SafeCsvWriter, append_row
from csmguard.domain import Lang
from csmguard.rules.model import Rule
from csmguard.scanners.fleet.evaluate import DeviceResult
from csmguard.scanners.fleet.facts import PASS
from csmguard.scanners.fleet.reasons import reason_text

BASE_COLUMNS = ("device_id", "name", "serial", "user", "department", "platform", "os_version", "ownership",
                "enrollment", "sensitive", "source", "row")
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


class DeviceSink(Protocol):
    """Receives each device's result as it is evaluated."""

    def write(self, result: DeviceResult) -> None:
        """Record one device."""

    def close(self) -> None:
        """Finish the file."""


def header(rules: tuple[Rule, ...]) -> list[str]:
    """The columns: the device's facts, one verdict column per rule, then the reasons of non-passes."""
    return [*BASE_COLUMNS, *(r.id for r in rules), "reasons"]


def row_of(rules: tuple[Rule, ...], result: DeviceResult, lang: Lang) -> list[Any]:
    """One device's row."""
    d = result.device
    reasons = "; ".join(f"{rule.id}: {reason_text(code, detail).get(lang)}"
                        for rule, (verdict, code, detail) in zip(rules, result.outcomes, strict=True)
                        if verdict != PASS and verdict != "not_applicable")
    return [d.id, d.name or "", d.serial or "", d.user or "", d.department or "", d.platform, d.os_version or "",
            d.ownership, d.enrollment or "", "yes" if result.sensitive else "no", d.source, d.row,
            *(o[0] for o in result.outcomes), reasons]


class CsvDeviceSink:
    """Per-device results as CSV (UTF-8 with BOM so that spreadsheet programs read the Chinese)."""

    def __init__(self, path: Path, rules: tuple[Rule, ...], lang: Lang) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = SafeCsvWriter(self._handle)  # device names come from the MDM: neutralise formulas
        self._rules = rules
        self._lang = lang
        self._writer.writerow(header(rules))

    def write(self, result: DeviceResult) -> None:
        """Write one device's row."""
        self._writer.writerow(row_of(self._rules, result, self._lang))

    def close(self) -> None:
        """Close the file."""
        self._handle.close()


class XlsxDeviceSink:
    """Per-device results as an XLSX workbook, streamed (openpyxl write-only); rows past Excel's limit
    are counted in ``overflow`` and left out."""

    def __init__(self, path: Path, rules: tuple[Rule, ...], lang: Lang) -> None:
        from openpyxl import Workbook

        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("devices" if lang is Lang.EN else "裝置")
        self._rules = rules
        self._lang = lang
        self._rows = 0
        self.overflow = 0
        append_row(self._sheet, header(rules))

    def write(self, result: DeviceResult) -> None:
        """Append one device's row."""
        if self._rows >= XLSX_MAX_ROWS:
            self.overflow += 1
            return
        append_row(self._sheet, row_of(self._rules, result, self._lang))
        self._rows += 1

    def close(self) -> None:
        """Save the workbook."""
        self._book.save(self._path)
