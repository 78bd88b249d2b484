"""Spreadsheet cells that cannot turn into formulas: every CSV and XLSX file CSM Guard writes goes through
this module (OWASP "CSV Injection").

The rule, applied to text values only (numbers, dates and booleans are written as such):

- a text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, also once leading white
  space is stripped, is written with a single quote ``'`` in front;
- a text that already starts with ``'`` gets one more ``'`` in front, so that the protective quote is
  unambiguous;
- reading a CSV or XLSX file back (:func:`restore`), one leading ``'`` is removed exactly when what
  follows it is a text the writer would have protected; any other text is read as it is.

So ``export → import`` gives back every original value, and a hand-written ``'abc`` imports as ``'abc``.
In XLSX, every text cell is written as a string, never as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, Protocol

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    return text.startswith(QUOTE) or text.startswith(FORMULA_STARTS) or text.lstrip().startswith(FORMULA_STARTS)


def neutralise(value: Any) -> Any:
    """``value`` as it may go into a spreadsheet cell: a text that could start a formula (or that starts
    with the protective quote) gets a ``'`` in front; anything else is returned unchanged."""
    if isinstance(value, str) and value and _needs_quote(value):
        return QUOTE + value
    return value


def restore(value: Any) -> Any:
    """The original of a cell written through :func:`neutralise` (one protective ``'`` removed)."""
    if isinstance(value, str) and value.startswith(QUOTE) and _needs_quote(value[1:]):
        return value[1:]
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    """Every value of a row through :func:`neutralise`."""
    return [neutralise(value) for value in values]


class _RowWriter(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeCsvWriter:
    """A ``csv.writer`` whose rows are neutralised first."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer: _RowWriter = csv.writer(stream, **options)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        """Write every row."""
        for row in rows:
            self.writerow(row)


class _Sheet(Protocol):
    def append(self, iterable: Any) -> None: ...


def append_row(sheet: _Sheet, values: Iterable[Any]) -> None:
    """Append a neutralised row to an openpyxl worksheet (normal or write-only). openpyxl stores a text as
    a formula only when it starts with ``=``, which no neutralised text does, so text stays text."""
    sheet.append(safe_row(values))
