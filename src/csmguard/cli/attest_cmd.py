"""``csmguard attest``: record, list and delete attestations (a person's statement about a requirement)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import orjson
import typer
from rich.console import Console
from rich.table import Table

from csmguard.cli.common import LangOption, emit, input_errors_exit, stderr_console
from csmguard.cli.init_cmd import WorkspaceOption, open_ws
from csmguard.domain import Lang
from csmguard.domain.attestation import AttestedStatus
from csmguard.services.workspace import add_attestation, delete_attestation, list_attestations

app = typer.Typer(help="Attestations: statements with evidence, reviewer and expiry. 聲明。", no_args_is_help=True)

DateOption = Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"], help="YYYY-MM-DD")]
EvidenceOption = Annotated[list[str] | None, typer.Option("--evidence", "-e",
                                                          help="A file (stored) or the SHA-256 of a stored file.")]


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


@app.command("add")
def add(
    requirement: Annotated[str, typer.Argument(help="Requirement ID, e.g. CSM-4.3.")],
    status: Annotated[AttestedStatus, typer.Option("--status", help="What is attested.")],
    statement: Annotated[str, typer.Option("--statement", help="The statement.")],
    by: Annotated[str, typer.Option("--by", help="Who attests.")],
    reviewer: Annotated[str | None, typer.Option("--reviewer")] = None,
    on: DateOption = None,
    expires: DateOption = None,
    evidence: EvidenceOption = None,
    review_required: Annotated[bool, typer.Option(
        "--review-required", help="Count it only once the --reviewer (a user account) accepts it in the web app "
        "(Approvals page).")] = False,
    workspace: WorkspaceOption = None,
) -> None:
    """Record an attestation about a requirement."""
    ws = open_ws(workspace)
    with input_errors_exit():
        record = add_attestation(ws, requirement=requirement, status=status, statement=statement, attested_by=by,
                                 reviewer=reviewer, attested_on=_day(on), expires_on=_day(expires),
                                 evidence=evidence or [], review_required=review_required)
    typer.echo(record.id)


@app.command("list")
def list_(workspace: WorkspaceOption = None, lang: LangOption = Lang.ZH_TW,
          json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """List attestations; expired ones are marked."""
    ws = open_ws(workspace)
    items = list_attestations(ws)
    if json:
        emit(orjson.dumps([a.model_dump(mode="json") for a in items], option=orjson.OPT_INDENT_2) + b"\n", None)
        return
    zh = lang is Lang.ZH_TW
    table = Table("ID", "要求" if zh else "Req.", "狀態" if zh else "Status", "聲明" if zh else "Statement",
                  "聲明人" if zh else "By", "到期" if zh else "Expires", "佐證" if zh else "Evidence",
                  title=("聲明" if zh else "Attestations") + f" ({len(items)})")
    today = date.today()
    for a in items:
        expiry = a.expires_on.isoformat() if a.expires_on else "-"
        if not a.is_live(today):
            expiry += " (已過期)" if zh else " (expired)"
        table.add_row(a.id[:8], a.requirement, a.status.value, a.statement[:50], a.attested_by, expiry,
                      str(len(a.evidence)))
    Console(width=160).print(table)


@app.command("delete")
def delete(attestation_id: str, workspace: WorkspaceOption = None) -> None:
    """Delete an attestation by its id."""
    ws = open_ws(workspace)
    with input_errors_exit():
        delete_attestation(ws, attestation_id)
    stderr_console().print(f"deleted 已刪除 {attestation_id}")
