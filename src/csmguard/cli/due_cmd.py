"""``csmguard due``: the calendar of duties (provider audits, SLA reports, incident updates, privacy-policy and
BYOD reviews, departed staff's devices, expiring exceptions and certificates), as a table, JSON or iCalendar."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.dates import taipei_today
from csmguard.domain import Lang
from csmguard.domain.errors import InputError
from csmguard.duties.ical import duties_calendar
from csmguard.duties.model import KIND_LABELS, STATE_LABELS, DutyKind, DutyState
from csmguard.services.duties import duty_view, workspace_duties

_WITHIN = re.compile(r"^\s*(\d{1,5})\s*([dw]?)\s*$", re.IGNORECASE)
_STYLE = {DutyState.OVERDUE: "bold red", DutyState.DUE_SOON: "yellow", DutyState.UPCOMING: ""}


class DueFormat(StrEnum):
    """Output formats of ``csmguard due``."""

    TABLE = "table"
    JSON = "json"
    ICS = "ics"


def parse_within(value: str) -> int:
    """Days in ``30d``, ``4w`` or ``30``; InputError otherwise."""
    match = _WITHIN.match(value)
    if not match:
        raise InputError(None, f"--within {value!r}: give days as 30d, weeks as 4w, or a number of days / "
                               "請以 30d（天）、4w（週）或天數表示", field="--within")
    return int(match[1]) * (7 if match[2].lower() == "w" else 1)


def due(
    within: Annotated[str | None, typer.Option("--within", help="Only duties due within this time (30d, 4w); "
                                               "overdue ones are always shown.")] = None,
    kind: Annotated[list[DutyKind] | None, typer.Option("--kind", help="Only these kinds (repeatable).")] = None,
    as_of: Annotated[datetime | None, typer.Option("--as-of", formats=["%Y-%m-%d"],
                                                   help="Reckon as of this day (default: today, Asia/Taipei).")
                     ] = None,
    fmt: Annotated[DueFormat, typer.Option("--format", "-f", help="table, json or ics (iCalendar).")
                   ] = DueFormat.TABLE,
    output: OutputOption = None,
    lang: LangOption = Lang.ZH_TW,
    workspace: WorkspaceOption = None,
) -> None:
    """The calendar of duties: what the registers, exceptions, certificates and privacy-policy watch say is due,
    each with its clause and the record it comes from. 應辦事項行事曆。"""
    ws = open_ws(workspace)
    today = as_of.date() if as_of else taipei_today()
    with input_errors_exit():
        days = parse_within(within) if within is not None else None
        duties = workspace_duties(ws, today, within_days=days, kinds=frozenset(kind) if kind else None)
    ws.close()
    if fmt is DueFormat.JSON:
        doc = {"as_of": today.isoformat(), "within_days": days, "duties": [duty_view(d, today) for d in duties]}
        emit(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n", output)
        return
    if fmt is DueFormat.ICS:
        name = "CSM Guard 應辦事項" if lang is Lang.ZH_TW else "CSM Guard duties"
        emit(duties_calendar(duties, today=today, lang=lang, calendar_id=str(ws.root), name=name), output)
        return
    zh = lang is Lang.ZH_TW
    table = Table("到期日" if zh else "Due", "剩餘天數" if zh else "Days", "狀態" if zh else "State",
                  "類別" if zh else "Kind", "條文" if zh else "Clause", "事項" if zh else "Duty",
                  "來源" if zh else "Source",
                  title=(f"應辦事項（{today.isoformat()}，共 {len(duties)} 項）" if zh
                         else f"Duties as of {today.isoformat()} ({len(duties)})"))
    for d in duties:
        state = d.state(today)
        table.add_row(d.due.isoformat(), str(d.days_left(today)), STATE_LABELS[state].get(lang),
                      KIND_LABELS[d.kind].get(lang), d.requirement,
                      f"{d.title.get(lang)}\n{d.detail.get(lang)}", d.source, style=_STYLE[state])
    console = Console(width=200, file=None)
    if output is not None:
        with output.open("w", encoding="utf-8") as handle:
            Console(width=200, file=handle).print(table)
        return
    console.print(table)
    if not duties:
        console.print("沒有應辦事項。" if zh else "Nothing is due.")
