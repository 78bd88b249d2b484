"""What several page routers share: recording a change in the audit trail, heavy work in a thread, and jobs
(queued, run in a child process) with their files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from fastapi import Request

from csmguard.jobs.table import JobStatus
from csmguard.services import audit
from csmguard.services.audit import write_scope
from csmguard.web.deps import Principal
from csmguard.web.jobs import wait_for
from csmguard.web.state import AppState, app_state
from csmguard.web.work import Busy, in_thread, release_memory, run_blocking

T = TypeVar("T")


def record_change(request: Request, principal: Principal, action: str, object_type: str, object_id: str,
                  before: Any = None, after: Any = None) -> None:
    """Append who changed what, with before and after, to the audit trail."""
    with write_scope(app_state(request).engine) as db:
        audit.append(db, principal.username, action, object_type, object_id, before, after)


def _then_release(work: Callable[..., T], *args: object) -> T:
    try:
        return work(*args)
    finally:
        release_memory()


async def run_heavy(request: Request, user: str, work: Callable[..., T], *args: object) -> T:
    """``work(*args)`` (an import, a store write of an upload) in a worker thread, off the event loop, in one
    of ``user``'s work slots: ``Busy`` (a 429 page) when the user or the server runs enough already."""
    state = app_state(request)
    slot = state.slots.claim(user)
    try:
        return await run_blocking(state.heavy, _then_release, work, *args)
    finally:
        slot.release()


def claim_job(state: AppState, user: str) -> None:
    """Refuse (``Busy``, a 429 page) when ``user`` already has ``jobs_per_user`` jobs queued or running (counted
    in the database, so every web worker sees the same number) or uploads being received by this worker."""
    if state.jobs.active(user) + state.slots.held(user) >= state.settings.jobs_per_user:
        raise Busy(True, state.settings.jobs_per_user)


async def queue_job(request: Request, user: str, kind: str, label: str,
                    prepare: Callable[[Path], dict[str, Any]]) -> str:
    """Queue a job whose files ``prepare(folder)`` puts in its folder, returning the payload (in a worker
    thread, in one of ``user``'s work slots); its id. ``Busy`` when the user has enough jobs; whatever
    ``prepare`` raises (e.g. a refused upload) leaves nothing behind."""
    state = app_state(request)
    await in_thread(claim_job, state, user)
    slot = state.slots.claim(user)
    job_id, folder = await in_thread(state.jobs.new_folder)
    queued = False
    try:
        payload = await run_blocking(state.heavy, prepare, folder)
        slot.release()
        await in_thread(lambda: state.jobs.enqueue(kind, payload, owner=user, label=label, job_id=job_id))
        queued = True
    finally:
        slot.release()
        if not queued:  # the job owns its folder once queued
            shutil.rmtree(folder, ignore_errors=True)
    return job_id


async def run_job(request: Request, user: str, kind: str, label: str,
                  prepare: Callable[[Path], dict[str, Any]]) -> JobStatus:
    """:func:`queue_job`, then wait (off the event loop) until the job has ended in its child process."""
    job_id = await queue_job(request, user, kind, label, prepare)
    return await wait_for(app_state(request).jobs, job_id)
