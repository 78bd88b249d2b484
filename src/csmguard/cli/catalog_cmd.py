"""``csmguard catalog``: list, show, export and verify the guideline catalog."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from csmguard.catalog.model import Domain
from csmguard.cli.common import LangOption, OutputOption, emit, input_errors_exit, stderr_console
from csmguard.domain import Lang, Level
from csmguard.services.catalog import (
    CatalogFormat,
    export_catalog,
    open_catalog,
    verify_catalog_text,
    verify_rule_clauses,
)

app = typer.Typer(help="The guideline as data: list, show, export, verify. 指引條文目錄。", no_args_is_help=True)

EditionOption = Annotated[str, typer.Option("--edition", help="Catalog edition.")]


@app.command("list")
def list_nodes(
    domain: Annotated[Domain | None, typer.Option("--domain", help="Only this domain.")] = None,
    level: Annotated[Level | None, typer.Option("--level", help="Only this level.")] = None,
    all_nodes: Annotated[bool, typer.Option("--all", help="Also definitions, scope and purpose provisions.")] = False,
    lang: LangOption = Lang.ZH_TW,
    edition: EditionOption = "csm-17",
) -> None:
    """List the requirements of the catalog, optionally filtered by domain and level."""
    with input_errors_exit():
        view = open_catalog(edition)
    coverage = view.coverage
    zh = lang is Lang.ZH_TW
    table = Table("ID", "等級" if zh else "Level", "領域" if zh else "Domain", "檢核" if zh else "Check",
                  "規則" if zh else "Rules", "條文" if zh else "Text", show_lines=False)
    count = 0
    for node in view.catalog.provisions():
        if not all_nodes and not node.is_requirement:
            continue
        if domain is not None and node.domain is not domain:
            continue
        if level is not None and node.level is not level:
            continue
        assert node.text is not None
        table.add_row(node.id, node.level.value if node.level else "", node.domain.value,
                      node.check.value if node.check else "", " ".join(coverage.get(node.id, [])),
                      node.text.get(lang))
        count += 1
    Console(width=200).print(table)
    stderr_console().print(f"{count} {'項' if zh else 'node(s)'}")


@app.command("show")
def show(
    node_id: Annotated[str, typer.Argument(help="A requirement ID, e.g. CSM-14.4.3.", metavar="ID")],
    lang: LangOption = Lang.ZH_TW,
    edition: EditionOption = "csm-17",
) -> None:
    """Show one node in full: both texts, level, scope, evidence, mappings and the rules that test it."""
    with input_errors_exit():
        view = open_catalog(edition)
    wanted = node_id.strip().upper()
    if not view.catalog.has(wanted):
        stderr_console().print(f"[bold red]錯誤 error[/]: {node_id!r} is not in catalog {edition}; "
                               "try `csmguard catalog list --all`")
        raise typer.Exit(2)
    node = view.catalog.node(wanted)
    zh = lang is Lang.ZH_TW
    console = Console(width=120)
    console.print(f"[bold]{node.id}[/]  {node.title.get(lang)}  ({node.kind.value})")
    if node.text:
        console.print(f"[bold]zh-TW[/] {node.text.zh_tw}")
        console.print(f"[bold]en[/]    {node.text.en}")
    for label_zh, label_en, value in (
        ("等級", "Level", node.level.value if node.level else "—"),
        ("對象", "Actor", node.actor.value if node.actor else "—"),
        ("領域", "Domain", node.domain.value),
        ("檢核方式", "Check", node.check.value if node.check else "—"),
        ("檢測規則", "Rules", ", ".join(view.coverage.get(node.id, [])) or "—"),
    ):
        console.print(f"{label_zh if zh else label_en}: {value}")
    for clause in node.weaker_clauses:
        console.print(f"  {'較弱條款' if zh else 'Weaker clause'} ({clause.level.value}): {clause.text.get(lang)}")
    if node.applies_when:
        console.print("適用條件：" if zh else "Applies when:")
        for condition in node.applies_when:
            question = view.catalog.question(condition.question)
            answer = ("是" if condition.answer else "否") if zh else ("yes" if condition.answer else "no")
            console.print(f"  - {question.text.get(lang)} → {answer}")
    if node.evidence:
        console.print("佐證資料：" if zh else "Evidence:")
        for evidence in node.evidence:
            console.print(f"  - {evidence.get(lang)}")
    if node.mappings:
        console.print("對應控制項：" if zh else "Mappings:")
        for m in node.mappings:
            console.print(f"  - {m.framework} {m.control} ({m.relationship.value})")
    children = view.catalog.children(node.id)
    if children:
        console.print(("子項：" if zh else "Children: ") + ", ".join(c.id for c in children))


@app.command("export")
def export(
    fmt: Annotated[CatalogFormat, typer.Option("--format", "-f", help="Export format.")] = CatalogFormat.JSON,
    lang: LangOption = Lang.ZH_TW,
    output: OutputOption = None,
    edition: EditionOption = "csm-17",
) -> None:
    """Export the catalog as JSON, YAML (both languages), CSV, XLSX, Markdown or an OSCAL catalog (one language)."""
    with input_errors_exit():
        view = open_catalog(edition)
    content = export_catalog(view, fmt, lang)
    if fmt is CatalogFormat.XLSX and output is None:
        stderr_console().print("[bold red]錯誤 error[/]: XLSX is binary; give --output FILE.xlsx")
        raise typer.Exit(2)
    emit(content, output)
    if output is not None:
        stderr_console().print(f"{'已寫入' if lang is Lang.ZH_TW else 'Wrote'} {output}")


@app.command("verify")
def verify(edition: EditionOption = "csm-17") -> None:
    """Check the catalog against the guideline text it was made from (every provision verbatim, once), and
    every rule against the clause it tests (the clause exists; the rule's level is the clause's modal word)."""
    with input_errors_exit():
        view = open_catalog(edition)
    problems = verify_catalog_text(view.catalog) + verify_rule_clauses(view.catalog, view.rules)
    console = stderr_console()
    for problem in problems:
        console.print(f"[red]{problem.node_id}[/]: {problem.message}")
    provisions = sum(1 for _ in view.catalog.provisions())
    if problems:
        console.print(f"{len(problems)} problem(s) in {provisions} provisions")
        raise typer.Exit(1)
    console.print(f"OK: {provisions} provisions match the text of {edition}, and {len(view.rules.rules)} rules the "
                  "level of the clause they test 條文皆與原文相符，規則層級皆與所測條款相符")
