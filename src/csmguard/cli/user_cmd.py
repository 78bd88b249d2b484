"""``csmguard user``: list the web app's accounts and recover one (unlock, reset TOTP) from the console."""

from __future__ import annotations

from typing import Annotated

import typer
from sqlalchemy import func, select

from csmguard.cli.common import guarded, stderr_console
from csmguard.cli.serve_cmd import WorkspaceOption
from csmguard.services import web_accounts
from csmguard.services.audit import write_scope
from csmguard.store.db import session_scope
from csmguard.store.models_web import UserRow
from csmguard.workspace import open_workspace

app = typer.Typer(help="Web app accounts (console recovery).", no_args_is_help=True)
CONSOLE_ACTOR = "console"


@app.command("list")
def list_users(workspace: WorkspaceOption = None) -> None:
    """Every account: name, role, active, TOTP, locked."""
    opened = guarded(lambda: open_workspace(workspace))
    with session_scope(opened.engine()) as db:
        for user in web_accounts.list_users(db):
            locked = f" locked-until={user.locked_until:%Y-%m-%d %H:%M}" if user.locked_until else ""
            typer.echo(f"{user.username}\t{user.role}\tactive={user.active}\ttotp={user.totp_enabled}{locked}")


def _change(workspace: WorkspaceOption, username: str, *, unlock: bool = False, reset_totp: bool = False) -> None:
    opened = guarded(lambda: open_workspace(workspace))
    with write_scope(opened.engine()) as db:
        user = db.scalar(select(UserRow).where(func.lower(UserRow.username) == username.lower()))
        if user is None:
            stderr_console().print(f"[bold red]錯誤 error[/]: no user {username!r}")
            raise typer.Exit(2)
        web_accounts.update_user(db, CONSOLE_ACTOR, user, unlock=unlock, reset_totp=reset_totp)
    typer.echo(f"{username}: done")


@app.command("unlock")
def unlock(username: Annotated[str, typer.Argument(help="The account")], workspace: WorkspaceOption = None) -> None:
    """Clear a lock-out."""
    _change(workspace, username, unlock=True)


@app.command("reset-totp")
def reset_totp(username: Annotated[str, typer.Argument(help="The account")],
               workspace: WorkspaceOption = None) -> None:
    """Make the account enrol TOTP again at its next log-in (a lost phone)."""
    _change(workspace, username, reset_totp=True)
