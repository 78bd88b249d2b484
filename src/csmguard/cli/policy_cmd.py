"""``csmguard policy``: the firm's policy — settings the guideline leaves to the firm (show, confirm) and the
good-practice rules the firm adopts (adopt, unadopt)."""

from __future__ import annotations

import json as jsonlib
from typing import Annotated, Any

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.services.policy import (
    SettingState,
    adopt_practice,
    adoptions,
    confirm_setting,
    setting_states,
    unadopt_practice,
)

app = typer.Typer(help="Firm policy: settings, their defaults and confirmations; adopted good practices. 公司政策。",
                  no_args_is_help=True)

_APPLIED = {"workspace": ("工作區 csmguard.toml [checks]", "workspace csmguard.toml [checks]"),
            "fleet-baseline": ("行動裝置基準檔（scan fleet --baseline-file）",
                               "fleet baseline file (scan fleet --baseline-file)"),
            "social-check": ("social check --review-within-days", "social check --review-within-days")}


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def _state_json(s: SettingState, lang: Lang) -> dict[str, Any]:
    return {"name": s.name, "value": s.value, "default": s.spec.default, "is_default": s.is_default,
            "confirmed": s.confirmed, "confirmed_by": s.confirmed_by,
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None,
            "confirmed_value": s.confirmed_value, "requirement": s.spec.requirement, "duty": s.spec.duty.get(lang),
            "applied_in": s.spec.applied_in.value, "rules": list(s.rules)}


@app.command("show")
def show(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
         json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Every firm-policy setting: value, default or set, confirmed or not (by whom, when), the duty it sets a
    value for and the rules using it; then the adopted good practices."""
    ws = open_ws(workspace)
    states = setting_states(ws)
    adopted = adoptions(ws)
    if json:
        doc = {"settings": [_state_json(s, lang) for s in states],
               "adopted_practices": [{"rule_id": a.rule_id, "adopted_by": a.adopted_by,
                                      "adopted_at": a.adopted_at.isoformat()} for a in adopted]}
        emit(orjson.dumps(doc, option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    table = Table("設定" if zh else "Setting", "值" if zh else "Value", "來源" if zh else "Source",
                  "確認" if zh else "Confirmed", "義務" if zh else "Duty", "規則" if zh else "Rules",
                  title=("公司政策設定" if zh else "Firm-policy settings") + f" ({len(states)})")
    for s in states:
        source = ("預設值" if zh else "default") if s.is_default else ("公司設定" if zh else "set")
        if s.confirmed:
            when = s.confirmed_at.date().isoformat() if s.confirmed_at else ""
            confirmed = f"{s.confirmed_by} {when}"
        else:
            confirmed = "未確認" if zh else "not confirmed"
            if s.confirmed_value is not None or s.confirmed_by:
                confirmed += (f"（曾確認 {_shown(s.confirmed_value)}）" if zh
                              else f" (confirmed {_shown(s.confirmed_value)} before)")
        applied = _APPLIED[s.spec.applied_in.value][0 if zh else 1]
        table.add_row(s.name, _shown(s.value), f"{source}\n{applied}", confirmed, s.spec.duty.get(lang),
                      ", ".join(s.rules))
    console = Console(width=200)
    console.print(table)
    unconfirmed = [s.name for s in states if not s.confirmed]
    if unconfirmed:
        console.print(("未經公司確認之設定：" if zh else "Not confirmed by the firm: ") + ", ".join(unconfirmed))
    if adopted:
        console.print(("公司採行為政策之良好實務：" if zh else "Good practices adopted as firm policy: ")
                      + ", ".join(f"{a.rule_id} ({a.adopted_by} {a.adopted_at.date().isoformat()})" for a in adopted))
    else:
        console.print("尚未採行任何良好實務為公司政策。" if zh else "No good practice is adopted as firm policy.")


@app.command("confirm")
def confirm(
    name: Annotated[str, typer.Argument(help="The setting, e.g. provider_audit_interval_days.")],
    by: Annotated[str, typer.Option("--by", help="Who confirms (name and role).")],
    value: Annotated[str | None, typer.Option(
        "--value", help="The firm's value (lists comma-separated); without it the value in force is confirmed.")]
    = None,
    workspace: WorkspaceOption = None,
    lang: LangOption = Lang.ZH_TW,
) -> None:
    """Confirm a setting's value (the value in force, or --value, which then takes effect: written to
    csmguard.toml for the workspace's own settings)."""
    ws = open_ws(workspace)
    with input_errors_exit():
        state = confirm_setting(ws, name, by, value)
    shown = jsonlib.dumps(state.value, ensure_ascii=False)
    zh = lang is Lang.ZH_TW
    stderr_console().print(f"已確認 {name} = {shown}（{by}）" if zh else f"confirmed {name} = {shown} ({by})")


@app.command("adopt")
def adopt(rule_id: Annotated[str, typer.Argument(help="A good-practice rule, e.g. REG-016.")],
          by: Annotated[str, typer.Option("--by", help="Who adopts it for the firm.")],
          workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
    """Adopt a good-practice rule as the firm's policy: its failures then decide provisions."""
    ws = open_ws(workspace)
    with input_errors_exit():
        adopt_practice(ws, rule_id, by)
    stderr_console().print(f"已採行 {rule_id}（{by}）" if lang is Lang.ZH_TW else f"adopted {rule_id} ({by})")


@app.command("unadopt")
def unadopt(rule_id: Annotated[str, typer.Argument(help="An adopted good-practice rule.")],
            by: Annotated[str, typer.Option("--by", help="Who withdraws it.")],
            workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW) -> None:
    """Withdraw an adopted good practice: its findings are again shown beside the verdicts only."""
    ws = open_ws(workspace)
    with input_errors_exit():
        unadopt_practice(ws, rule_id, by)
    stderr_console().print(f"已撤回 {rule_id}（{by}）" if lang is Lang.ZH_TW else f"withdrew {rule_id} ({by})")
