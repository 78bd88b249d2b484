"""``csmguard serve``: the web application for compliance teams."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, guarded, input_errors_exit
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
    workers: Annotated[int, typer.Option(min=1, max=64, help="Server processes (more than one needs a "
                                         "PostgreSQL workspace).")] = 1,
    job_queue: Annotated[str, typer.Option(help="Where jobs run: local (threads of this server start a child "
                                           "process per job) or procrastinate (PostgreSQL; run `csmguard worker`).")]
    = "local",
) -> None:
    """Serve the web app (server-rendered pages, zh-TW by default) over a workspace."""
    import os

    import uvicorn

    from csmguard.domain.errors import InputError
    from csmguard.web.app import create_app
    from csmguard.web.settings import WebSettings

    opened = guarded(lambda: open_workspace(workspace))
    postgres = opened.db_url.startswith("postgresql")
    with input_errors_exit():
        if job_queue not in ("local", "procrastinate"):
            raise InputError(None, f"unknown job queue {job_queue!r}: local or procrastinate", field="--job-queue")
        if (workers > 1 or job_queue == "procrastinate") and not postgres:
            raise InputError(str(opened.root), "several server processes and the procrastinate job queue need a "
                             "PostgreSQL workspace / 多個伺服器程序與 procrastinate 工作佇列需使用 PostgreSQL 工作區",
                             field="--workers")
    options = {"workspace": str(opened.root), "host": host, "port": str(port), "lang": lang.value,
               "require_totp_for_all": str(require_totp).lower(), "lockout_threshold": str(lockout_threshold),
               "session_idle_minutes": str(session_idle_minutes), "max_upload_mb": str(max_upload_mb),
               "job_queue": job_queue}
    typer.echo(f"CSM Guard web app on http://{host}:{port}/ (workspace {opened.root}, {workers} process(es), "
               f"{job_queue} job queue)", err=True)
    common = {"host": host, "port": port, "proxy_headers": forwarded_allow_ips is not None,
              "forwarded_allow_ips": forwarded_allow_ips, "server_header": False, "log_level": "info"}
    if workers > 1:  # each process builds its app from the same settings, passed as CSMGUARD_WEB_… variables
        os.environ.update({f"CSMGUARD_WEB_{name.upper()}": value for name, value in options.items()})
        opened.close()
        uvicorn.run("csmguard.web.app:app_from_environment", factory=True, workers=workers, **common)  # type: ignore[arg-type]
        return
    settings = WebSettings.model_validate(options)
    app = create_app(settings, opened)
    uvicorn.run(app, **common)  # type: ignore[arg-type]
