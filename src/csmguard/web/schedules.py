"""The web app runs the workspace's schedules: once a minute, every due schedule is enqueued on the app's job
queue (several servers over one database enqueue a schedule once: :func:`run_due` claims it first)."""

from __future__ import annotations

import logging
from typing import Any

import anyio
from anyio import to_thread

from csmguard.services.schedules import run_due
from csmguard.web.state import AppState

log = logging.getLogger(__name__)
SCHEDULE_SECONDS = 60.0


def enqueue_due(state: AppState) -> list[tuple[str, str]]:
    """Enqueue the schedules that are due now on the app's queue; (schedule, job id) pairs."""
    def enqueue(kind: str, payload: dict[str, Any], owner: str, label: str) -> str:
        return state.jobs.enqueue(kind, payload, owner=owner, label=label)

    return run_due(state.workspace, enqueue)


async def run_schedules(state: AppState, every: float = SCHEDULE_SECONDS) -> None:
    """Check the schedules at start and then every ``every`` seconds; a failing check is logged, never fatal."""
    while True:
        try:
            await to_thread.run_sync(enqueue_due, state)
        except Exception:  # a database hiccup must not stop the schedules
            log.exception("schedules")
        await anyio.sleep(every)
