"""What several page routers share: recording a change in the audit trail, bilingual input errors."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from csmguard.services import audit
from csmguard.services.audit import write_scope
from csmguard.web.deps import Principal
from csmguard.web.state import app_state


def record_change(request: Request, principal: Principal, action: str, object_type: str, object_id: str,
                  before: Any = None, after: Any = None) -> None:
    """Append who changed what, with before and after, to the audit trail."""
    with write_scope(app_state(request).engine) as db:
        audit.append(db, principal.username, action, object_type, object_id, before, after)
