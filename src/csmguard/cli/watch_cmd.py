"""``csmguard watch``: the privacy-policy watch of the platforms the firm has official accounts on (CSM-11.1)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, input_errors_exit
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.dates import format_time
from csmguard.domain import Lang
from csmguard.domain.errors import InputError
from csmguard.services.social import privacy_diff, privacy_status, review_privacy, watch_privacy
from csmguard.social.worddiff import render_change

app = typer.Typer(help="Watch the platforms' privacy policies (CSM-11.1). 隱私政策異動追蹤。", no_args_is_help=True)

_STATE = {"first": ("首次取得", "first version"), "unchanged": ("未異動", "unchanged"),
          "changed": ("已異動", "changed"), "error": ("錯誤", "error")}


def _overrides(values: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in values:
        platform, sep, url = value.partition("=")
        if not sep or not platform.strip() or not url.strip():
            raise InputError(None, f"{value!r}: write PLATFORM=URL", field="--url")
        out[platform.strip()] = url.strip()
    return out


@app.command("privacy")
def privacy(
    workspace: WorkspaceOption = None,
    platform: Annotated[list[str] | None, typer.Option("--platform", help="Only this platform (repeatable).")] = None,
    url: Annotated[list[str] | None, typer.Option("--url", help="PLATFORM=URL to use instead (repeatable).")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Allow private and loopback addresses.")
                             ] = False,
    timeout: Annotated[float, typer.Option("--timeout", min=1.0, help="Seconds per page.")] = 20.0,
    browser: Annotated[bool, typer.Option("--browser", help="Render the pages in headless Chromium (for pages "
                                                           "that need JavaScript).")] = False,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Fetch each platform's privacy policy, keep a version when it changed, show the word-level diff,
    and open a review item. Exit 1 when a policy changed (someone must review it), 2 when a fetch failed."""
    zh = lang is Lang.ZH_TW
    with input_errors_exit():
        ws = open_ws(workspace)
        outcomes = watch_privacy(ws, platforms=tuple(platform or ()), overrides=_overrides(url or []),
                                 allow_private=allow_private, timeout=timeout, browser=browser)
    console = Console(highlight=False)
    if not outcomes:
        console.print("登錄簿中沒有官方社群帳號可追蹤" if zh else "No official accounts in the register to watch")
    for outcome in outcomes:
        state = _STATE[outcome.state][0 if zh else 1]
        console.print(f"[bold]{outcome.platform}[/] {state}  {outcome.url}", markup=True)
        if outcome.error:
            console.print(f"  {outcome.error}")
        for change in outcome.changes[:40]:
            console.print("  " + render_change(change), markup=False)
        if len(outcome.changes) > 40:
            console.print(f"  … {len(outcome.changes) - 40} {'處其他異動' if zh else 'more change(s)'}")
        if outcome.review_id:
            console.print(("  已開立檢視項目，檢視後請執行 " if zh else "  Review item opened; after reviewing run ")
                          + f"csmguard watch review --platform {outcome.platform} --by NAME", markup=False)
    if any(o.state == "error" for o in outcomes):
        raise typer.Exit(2)
    if any(o.state in ("first", "changed") for o in outcomes):
        raise typer.Exit(1)


@app.command("review")
def review(
    platform: Annotated[str, typer.Option("--platform", help="The platform whose changes were reviewed.")],
    by: Annotated[str, typer.Option("--by", help="Who reviewed them.")],
    notes: Annotated[str | None, typer.Option("--notes", help="The risk assessment or remarks.")] = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Record who reviewed a platform's privacy-policy changes, and when (today)."""
    with input_errors_exit():
        closed = review_privacy(open_ws(workspace), platform, by, notes=notes)
    Console(highlight=False).print(f"{'已完成檢視' if lang is Lang.ZH_TW else 'Reviewed'}: {platform} ({closed})")


@app.command("diff")
def diff(
    platform: Annotated[str, typer.Option("--platform", help="The platform.")],
    workspace: WorkspaceOption = None,
) -> None:
    """Show the word-level changes between the two latest versions of a platform's privacy policy."""
    with input_errors_exit():
        old, new, changes = privacy_diff(open_ws(workspace), platform)
    console = Console(highlight=False)
    console.print(f"{old.fetched_at:%Y-%m-%d %H:%M} {old.sha256[:12]} → {new.fetched_at:%Y-%m-%d %H:%M} "
                  f"{new.sha256[:12]}  {new.url}", markup=False)
    for change in changes:
        console.print(render_change(change), markup=False)


@app.command("status")
def status(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
    """List the watched platforms: versions kept, last fetch, open review since."""
    zh = lang is Lang.ZH_TW
    with input_errors_exit():
        rows = privacy_status(open_ws(workspace))
    table = Table("平台" if zh else "Platform", "版本數" if zh else "Versions", "最近取得" if zh else "Last fetched",
                  "待檢視自" if zh else "Open review since", "URL")
    for row in rows:
        table.add_row(row.platform, str(row.versions),
                      format_time(row.last_fetched) if row.last_fetched else "",
                      str(row.open_since or ""), row.url or "")
    Console().print(table)
