"""The JSON API for CI: upload a scan result with an API token (``Authorization: Bearer csmg_…``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from csmguard.auth.roles import TokenScope
from csmguard.services import web_accounts
from csmguard.services.audit import write_scope
from csmguard.services.scan_upload import ScanUpload
from csmguard.web.routes.common import run_job
from csmguard.web.state import app_state

router = APIRouter(prefix="/api", tags=["api"])
bearer = HTTPBearer(auto_error=False, description="An API token created on the API tokens page")


class ScanRecorded(BaseModel):
    """What the API answers when a scan was recorded."""

    scan_id: str
    findings: int
    errors: int
    state: str = Field(description="complete, partial, or failed (nothing recognised: recorded, counts for nothing)")


class TokenOwner(BaseModel):
    """The user an API token belongs to."""

    username: str


def token_owner(request: Request,
                credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> TokenOwner:
    """The owner of a live token with the ``scans:write`` scope; 401 otherwise."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise HTTPException(401, "an API token is required", headers={"WWW-Authenticate": "Bearer"})
    with write_scope(app_state(request).engine) as db:
        owner = web_accounts.authenticate_token(db, credentials.credentials, TokenScope.SCANS_WRITE)
        if owner is None:
            raise HTTPException(401, "the token is unknown, revoked, expired or lacks the scans:write scope",
                                headers={"WWW-Authenticate": "Bearer"})
        return TokenOwner(username=owner.username)


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": ScanUpload.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@router.post("/scans", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload_scan(request: Request, owner: Annotated[TokenOwner, Depends(token_owner)],
                      subject: Annotated[str | None, Query(max_length=500)] = None) -> ScanRecorded:
    """Record a scan result uploaded by CI; its findings count in the next assessment. The body (the
    ``ScanUpload`` JSON) is read only after the token is checked, then parsed and stored by a job (a child
    process) the request waits for; one of the token owner's jobs (429 when busy)."""
    body = await request.body()

    def prepare(folder: Path) -> dict[str, Any]:
        (folder / "result.json").write_bytes(body)
        return {"file": "result.json", "subject": subject}

    job = await run_job(request, owner.username, "scan.result", subject or "API upload", prepare)
    outcome = job.outcome or {}
    if job.state != "done":
        raise HTTPException(int(outcome.get("status", 422)), outcome.get("detail", job.message))
    assert job.result_id is not None
    return ScanRecorded(scan_id=job.result_id, findings=int(outcome["findings"]), errors=int(outcome["errors"]),
                        state=str(outcome["state"]))
