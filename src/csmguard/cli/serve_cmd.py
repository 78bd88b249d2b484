"""``csmguard serve``: the web application for compliance teams."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, guarded
from csmguard.domain import Lang
from csmguard.workspace import open_workspace

WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--workspace", "-w", help="The workspace folder (default: $CSMGUARD_WORKSPACE or the current "
                 "folder).", file_okay=False),
]


def serve(
    workspace: WorkspaceOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default; put a TLS proxy in "
                                      "front for other hosts).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    lang: LangOption = Lang.ZH_TW,
    require_totp: Annotated[bool, typer.Option("--require-totp/--no-require-totp",
                                               help="Make every user enrol TOTP, not only administrators.")] = False,
    lockout_threshold: Annotated[int, typer.Option(help="Failed log-ins before an account is locked.")] = 5,
    session_idle_minutes: Annotated[int, typer.Option(help="Idle time-out of a session.")] = 30,
    max_upload_mb: Annotated[int, typer.Option(help="Largest accepted upload.")] = 200,
    forwarded_allow_ips: Annotated[str | None, typer.Option(help="Trust X-Forwarded-* (scheme for HSTS) from "
                                                             "these proxy addresses.")] = None,
) -> None:
    """Serve the web app (server-rendered pages, zh-TW by default) over a workspace."""
    import uvicorn

    from csmguard.web.app import create_app
    from csmguard.web.settings import WebSettings

    opened = guarded(lambda: open_workspace(workspace))
    settings = WebSettings(workspace=opened.root, host=host, port=port, lang=lang, require_totp_for_all=require_totp,
                           lockout_threshold=lockout_threshold, session_idle_minutes=session_idle_minutes,
                           max_upload_mb=max_upload_mb)
    app = create_app(settings, opened)
    typer.echo(f"CSM Guard web app on http://{host}:{port}/ (workspace {opened.root})", err=True)
    uvicorn.run(app, host=host, port=port, proxy_headers=forwarded_allow_ips is not None,
                forwarded_allow_ips=forwarded_allow_ips, server_header=False, log_level="info")
