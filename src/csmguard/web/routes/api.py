"""The JSON API for CI: upload a scan result with an API token (``Authorization: Bearer csmg_…``)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from csmguard.auth.roles import TokenScope
from csmguard.domain import Finding, ScanError, ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.rules.model import SCANNER_FAMILIES
from csmguard.services import audit, web_accounts
from csmguard.services.audit import write_scope
from csmguard.services.records import record_scan_in
from csmguard.web.routes.common import run_heavy
from csmguard.web.state import AppState, app_state

router = APIRouter(prefix="/api", tags=["api"])
bearer = HTTPBearer(auto_error=False, description="An API token created on the API tokens page")
MAX_FINDINGS = 200_000


class ScanUpload(BaseModel):
    """The scan-result JSON that ``csmguard scan … --format json`` prints."""

    model_config = ConfigDict(extra="ignore")

    scanner: str = Field(min_length=1, max_length=32)
    targets: list[str] = Field(default_factory=list, max_length=10_000)
    findings: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_FINDINGS)
    errors: list[dict[str, Any]] = Field(default_factory=list, max_length=MAX_FINDINGS)
    stats: dict[str, Any] = Field(default_factory=dict)
    coverage: dict[str, Any] | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None


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


def to_scan_result(upload: ScanUpload, known_requirements: set[str]) -> ScanResult:
    """The upload as a ScanResult; ValueError naming the first bad finding or error."""
    if upload.scanner not in SCANNER_FAMILIES:
        raise ValueError(f"unknown scanner {upload.scanner!r}; known: {', '.join(sorted(SCANNER_FAMILIES))}")
    findings = []
    for index, item in enumerate(upload.findings):
        try:
            finding = Finding.model_validate(item)
        except ValidationError as exc:
            raise ValueError(f"findings[{index}]: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
        unknown = [r for r in finding.requirements if r not in known_requirements]
        if unknown:
            raise ValueError(f"findings[{index}]: unknown requirement {unknown[0]}")
        findings.append(finding)
    errors = []
    for index, item in enumerate(upload.errors):
        try:
            errors.append(ScanError.model_validate(item))
        except ValidationError as exc:
            raise ValueError(f"errors[{index}]: {exc.errors()[0]['msg']}") from exc
    stats = {k: v for k, v in upload.stats.items() if k != "status_counts"}
    try:
        declared = {k: v for k, v in (upload.coverage or {}).items() if k != "rules_examined"}  # derived, not input
        coverage = None if upload.coverage is None else Coverage.model_validate(declared)
    except ValidationError as exc:
        raise ValueError(f"coverage: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
    return ScanResult(scanner=upload.scanner, targets=tuple(upload.targets), findings=tuple(findings),
                      errors=tuple(errors), stats=stats, coverage=coverage,
                      started_at=upload.started_at or datetime.now(UTC), finished_at=upload.finished_at)


def _record(state: AppState, username: str, body: bytes, subject: str | None) -> ScanRecorded:
    """Parse, check and record an uploaded scan result, with its audit entry. Blocking (a worker thread):
    a result of 200,000 findings takes seconds to parse and store."""
    try:
        upload = ScanUpload.model_validate_json(body)
    except ValidationError as exc:
        raise HTTPException(422, exc.errors(include_url=False, include_context=False, include_input=False)) \
            from exc
    known = {node.id for node in state.catalog.catalog.nodes}
    try:
        result = to_scan_result(upload, known)
    except ValueError as exc:
        raise HTTPException(422, str(exc)) from exc
    with write_scope(state.engine) as db:  # the scan and its audit entry commit together
        scan_id = record_scan_in(db, result, subject=subject or None)
        audit.append(db, username, "scan.record", "scan", scan_id, None,
                     {"scanner": result.scanner, "subject": subject, "via": "api", "state": result.state.value,
                      **result.status_counts(), "errors": len(result.errors)})
    return ScanRecorded(scan_id=scan_id, findings=len(result.findings), errors=len(result.errors),
                        state=result.state.value)


UPLOAD_BODY = {"requestBody": {"required": True, "content": {"application/json": {
    "schema": ScanUpload.model_json_schema(ref_template="#/components/schemas/{model}")}}}}


@router.post("/scans", status_code=201, openapi_extra=UPLOAD_BODY)
async def upload_scan(request: Request, owner: Annotated[TokenOwner, Depends(token_owner)],
                      subject: Annotated[str | None, Query(max_length=500)] = None) -> ScanRecorded:
    """Record a scan result uploaded by CI; its findings count in the next assessment. The body (the
    ``ScanUpload`` JSON) is read only after the token is checked, and parsed and stored in a worker thread,
    in one of the token owner's work slots (429 when busy)."""
    body = await request.body()
    return await run_heavy(request, owner.username, _record, app_state(request), owner.username, body, subject)
