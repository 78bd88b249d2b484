"""What several page routers share: recording a change in the audit trail, bilingual input errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request

from csmguard.services import audit
from csmguard.services.audit import write_scope
from csmguard.web.deps import Principal
from csmguard.web.state import app_state
from csmguard.web.work import release_memory, run_blocking

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
