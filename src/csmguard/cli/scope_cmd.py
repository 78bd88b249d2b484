"""``csmguard scope``: which requirements apply to an organization, from its yes/no answers."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.catalog.loader import load_catalog
from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit, stderr_console
from csmguard.domain import Lang
from csmguard.services.scope import ScopeReport, check_scope

app = typer.Typer(help="Scope profiles: which requirements apply. 適用範圍。", no_args_is_help=True)


class ScopeFormat(StrEnum):
    """Output formats of ``scope check``."""

    TABLE = "table"
    JSON = "json"


@app.command("check")
def check(
    profile: Annotated[Path, typer.Argument(help="A scope profile (YAML or TOML).", exists=False)],
    fmt: Annotated[ScopeFormat, typer.Option("--format", "-f")] = ScopeFormat.TABLE,
    lang: LangOption = Lang.ZH_TW,
    output: OutputOption = None,
) -> None:
    """Print which requirements apply, which do not, and which wait on an unanswered question, with why."""
    with input_errors_exit():
        report = check_scope(profile)
    if fmt is ScopeFormat.JSON:
        emit(orjson.dumps(scope_json(report), option=orjson.OPT_INDENT_2) + b"\n", output)
        return
    print_scope_table(report, lang)


def scope_json(report: ScopeReport) -> dict[str, object]:
    """The scope decision as JSON: one entry per provision with its reasons in both languages."""
    return {
        "edition": report.catalog.edition,
        "organization": report.profile.organization,
        "summary": {
            "applicable": len(report.applicable()),
            "not_applicable": sum(1 for n, _ in report.not_applicable() if n.is_requirement),
            "undetermined": len(report.undetermined()),
        },
        "provisions": [
            {"id": node.id, "level": node.level.value if node.level else None, "applies": a.applies,
             "reasons": [r.as_dict() for r in a.reasons]}
            for node, a in report.entries
        ],
    }


def print_scope_table(report: ScopeReport, lang: Lang) -> None:
    """Print the scope decision as three tables: applicable, undetermined, not applicable."""
    zh = lang is Lang.ZH_TW
    console = Console(width=160)
    sections = (
        ("適用的要求" if zh else "Applicable requirements", report.applicable()),
        ("待回答而無法判斷" if zh else "Undetermined (unanswered questions)", report.undetermined()),
        ("不適用的要求" if zh else "Not applicable requirements",
         [(n, a) for n, a in report.not_applicable() if n.is_requirement]),
    )
    for title, rows in sections:
        if not rows:
            continue
        table = Table("ID", "等級" if zh else "Level", "條文" if zh else "Text", "理由" if zh else "Why",
                      title=f"{title} ({len(rows)})")
        for node, a in rows:
            assert node.text is not None
            table.add_row(node.id, node.level.value if node.level else "", node.text.get(lang)[:60],
                          "; ".join(r.get(lang) for r in a.reasons))
        console.print(table)
    name = report.profile.organization or ("（未命名）" if zh else "(unnamed)")
    console.print(
        f"{name}: " + (f"適用 {len(report.applicable())}、待判斷 {len(report.undetermined())}" if zh else
                       f"{len(report.applicable())} applicable, {len(report.undetermined())} undetermined"),
        highlight=False)


@app.command("template")
def template(lang: LangOption = Lang.ZH_TW, output: OutputOption = None, edition: str = "csm-17") -> None:
    """Write a scope profile with every question of the edition, to fill in: every answer is left blank
    (unanswered, so what depends on it stays undetermined) with the question and its help in zh-TW and en."""
    with input_errors_exit():
        catalog = load_catalog(edition)
    zh = lang is Lang.ZH_TW
    lines = [f"# {catalog.title.get(lang)} — scope profile",
             "# 每題填 true（是）或 false（否）；留空表示尚未回答，相關條文列為「待判斷」，不會當作不適用。",
             "# Answer each question true or false; a blank answer is unanswered: the requirements that depend",
             "# on it stay undetermined (待判斷), never not applicable.",
             "organization: ", f"edition: {edition}", "answers:"]
    for question in catalog.questions:
        lines.append(f"  # {question.text.zh_tw}")
        lines.extend(f"  #   {line}" for line in question.help.zh_tw.splitlines() if line.strip())
        lines.append(f"  # {question.text.en}")
        lines.extend(f"  #   {line}" for line in question.help.en.splitlines() if line.strip())
        lines.append(f"  {question.id}:")
    emit("\n".join(lines) + "\n", output)
    if output is not None:
        stderr_console().print(f"{'已寫入' if zh else 'Wrote'} {output}")
