"""``csmguard worker``: run the web app's queued jobs (PostgreSQL workspaces, procrastinate)."""

from __future__ import annotations

from typing import Annotated

import typer

from csmguard.cli.common import guarded, input_errors_exit
from csmguard.cli.serve_cmd import WorkspaceOption
from csmguard.domain.errors import InputError
from csmguard.workspace import open_workspace


def worker(
    workspace: WorkspaceOption = None,
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Jobs this worker runs at once (each in a "
                                             "child process).")] = 2,
    memory_mb: Annotated[int, typer.Option(min=0, help="Address space a job's process may use (MB; 0: no "
                                           "limit).")] = 2048,
    timeout_seconds: Annotated[int, typer.Option(min=1, help="Wall-clock time a job may take.")] = 3600,
    stalled_after: Annotated[float, typer.Option(min=1.0, help="Seconds without a heartbeat after which "
                                                 "another worker's jobs are retried here.")] = 30.0,
    heartbeat_seconds: Annotated[float, typer.Option(min=0.5, help="How often this worker says it is "
                                                     "alive.")] = 10.0,
) -> None:
    """Run the jobs the web app and the API queue (scans, imports, uploaded results), on a PostgreSQL
    workspace served with `csmguard serve --job-queue procrastinate`; start as many as you like, on any
    machine that reaches the database and mounts the workspace folder. Ctrl-C / SIGTERM finish the running
    jobs first; a worker killed outright has its jobs retried by the others."""
    import asyncio
    import logging

    from csmguard.jobs.pg import run_worker
    from csmguard.jobs.runner import Budget

    opened = guarded(lambda: open_workspace(workspace))
    with input_errors_exit():
        if not opened.db_url.startswith("postgresql"):
            raise InputError(str(opened.root), "csmguard worker needs a PostgreSQL workspace (on SQLite the web "
                             "server runs its jobs itself) / csmguard worker 需使用 PostgreSQL 工作區")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    typer.echo(f"CSM Guard worker on {opened.root} ({concurrency} at once)", err=True)
    asyncio.run(run_worker(opened.root, opened.engine(), opened.db_url, concurrency=concurrency,
                           budget=Budget(memory_mb=memory_mb, seconds=float(timeout_seconds)),
                           stalled_after=stalled_after, heartbeat_seconds=heartbeat_seconds))
