"""Registers: list, create, edit, delete, and CSV/XLSX/YAML import and export (services.registers)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from csmguard.domain.errors import InputError
from csmguard.registers.io import RegisterFormat
from csmguard.registers.specs import RegisterSpec, register_specs
from csmguard.services import registers
from csmguard.web.auth.roles import Permission
from csmguard.web.deps import Principal, Require, RowId, render, request_lang
from csmguard.web.forms import display, form_data, form_fields
from csmguard.web.i18n import translate
from csmguard.web.routes.common import record_change, run_job
from csmguard.web.state import app_state
from csmguard.web.uploads import UploadRejected, receive_file
from csmguard.web.work import in_thread

router = APIRouter()
Viewer = Annotated[Principal, Depends(Require(Permission.VIEW))]
Editor = Annotated[Principal, Depends(Require(Permission.EDIT_COMPLIANCE))]
RECORDS_PER_PAGE = 1000
MEDIA = {RegisterFormat.CSV: "text/csv; charset=utf-8",
         RegisterFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         RegisterFormat.YAML: "application/yaml"}


def _spec(kind: str) -> RegisterSpec:
    spec = register_specs().get(kind)
    if spec is None:
        raise HTTPException(404)
    return spec


def _page(request: Request, spec: RegisterSpec, status: int = 200, page: int = 1, **context: Any) -> Response:
    """The register page: one page of ``RECORDS_PER_PAGE`` records (a LIMIT query, never the whole table)."""
    offset = (page - 1) * RECORDS_PER_PAGE
    records, total = registers.page_records(app_state(request).workspace, spec.kind, RECORDS_PER_PAGE, offset)
    return render(request, "register.html", status, spec=spec, records=records, total=total, page=page,
                  offset=offset, pages=max(1, -(-total // RECORDS_PER_PAGE)), fields=form_fields(spec),
                  display=display, formats=list(RegisterFormat), **context)


@router.get("/registers")
def register_index(request: Request, _principal: Viewer) -> Response:
    """Every register with its number of records."""
    ws = app_state(request).workspace
    rows = [(spec, registers.count_records(ws, spec.kind)) for spec in register_specs().values()]
    return render(request, "registers.html", rows=rows)


@router.post("/register-checks")
def run_checks(request: Request, principal: Editor) -> Response:
    """Run every register check (REG- rules) now and record the result as the latest register scan."""
    result = registers.run_register_checks(app_state(request).workspace)
    counts = result.status_counts()
    record_change(request, principal, "register.checks", "scan", "registers", None, counts)
    return RedirectResponse("/", status_code=303)


@router.get("/registers/{kind}")
def register_page(request: Request, _principal: Viewer, kind: str,
                  page: Annotated[int, Query(ge=1, le=1_000_000)] = 1) -> Response:
    """One page of the records of a register, with the create and import forms for editors."""
    return _page(request, _spec(kind), page=page)


@router.post("/registers/{kind}")
async def create_record(request: Request, principal: Editor, kind: str) -> Response:
    """Create a record from the form."""
    spec = _spec(kind)
    data = form_data(spec, await request.form(), for_update=False)
    try:
        await in_thread(lambda: registers.add_record(app_state(request).workspace, kind, data,
                                                     actor=principal.username))
    except InputError as error:
        message = error.describe()
        return await in_thread(lambda: _page(request, spec, 400, error=message, values=data))
    return RedirectResponse(f"/registers/{kind}", status_code=303)


@router.get("/registers/{kind}/{record_id:int}/edit")
def edit_form(request: Request, _principal: Editor, kind: str, record_id: RowId) -> Response:
    """The edit form of one record."""
    spec = _spec(kind)
    try:
        stored = registers.get_record(app_state(request).workspace, kind, str(record_id))
    except InputError as error:
        raise HTTPException(404) from error
    values = {name: display(value) for name, value in stored.record.model_dump().items()}
    return render(request, "register_edit.html", spec=spec, stored=stored, fields=form_fields(spec), values=values)


@router.post("/registers/{kind}/{record_id:int}")
async def update_record(request: Request, principal: Editor, kind: str, record_id: RowId) -> Response:
    """Save the edit form."""
    spec = _spec(kind)
    ws = app_state(request).workspace
    try:
        before = await in_thread(registers.get_record, ws, kind, str(record_id))
    except InputError as error:
        raise HTTPException(404) from error
    changes = form_data(spec, await request.form(), for_update=True)
    try:
        await in_thread(lambda: registers.update_record(ws, kind, str(record_id), changes,
                                                        actor=principal.username))
    except InputError as error:
        message = error.describe()
        return await in_thread(lambda: render(request, "register_edit.html", 400, spec=spec, stored=before,
                                              fields=form_fields(spec),
                                              values={k: display(v) for k, v in changes.items()}, error=message))
    return RedirectResponse(f"/registers/{kind}", status_code=303)


@router.post("/registers/{kind}/{record_id:int}/delete")
def delete_record(request: Request, principal: Editor, kind: str, record_id: RowId) -> Response:
    """Delete a record."""
    _spec(kind)
    try:
        registers.delete_record(app_state(request).workspace, kind, str(record_id), actor=principal.username)
    except InputError as error:
        raise HTTPException(404) from error
    return RedirectResponse(f"/registers/{kind}", status_code=303)


@router.post("/registers/{kind}/import")
async def import_file(request: Request, principal: Editor, kind: str,
                      file: Annotated[UploadFile, File()]) -> Response:
    """Import a CSV, XLSX or YAML file: every row is checked first; one bad row and nothing is written. The
    import is a job run in a child process (the server's memory stays at its baseline); the request waits
    for it, and the page lists the first errors of a refused file."""
    spec = _spec(kind)
    state = app_state(request)
    lang = request_lang(request)
    policy = state.settings.upload_policy(frozenset({".csv", ".xlsx", ".yaml", ".yml"}))

    def prepare(folder: Path) -> dict[str, Any]:
        path = receive_file(file.file, file.filename, folder, policy)
        return {"register": kind, "file": path.name, "name": file.filename or path.name}

    try:
        job = await run_job(request, principal.username, "register.import", file.filename or kind, prepare)
    except UploadRejected as rejected:
        message = translate(lang, rejected.key, detail=rejected.detail, limit=state.settings.max_upload_mb)
        return await in_thread(lambda: _page(request, spec, 400, error=message))
    outcome = job.outcome or {}
    if job.state == "done":
        return await in_thread(lambda: _page(request, spec, flash=translate(
            lang, "imported", rows=outcome.get("rows", 0), created=outcome.get("created", 0),
            updated=outcome.get("updated", 0))))
    if "lines" in outcome:
        message = translate(lang, "import_refused", file=file.filename or "", count=f"{outcome.get('total', 0):,}")
        lines = list(outcome["lines"])
        return await in_thread(lambda: _page(request, spec, 400, row_errors=lines, error=message))
    failure = job.message
    return await in_thread(lambda: _page(request, spec, 400, error=failure))


@router.get("/registers/{kind}/export.{fmt}")
def export_file(request: Request, _principal: Viewer, kind: str, fmt: RegisterFormat) -> Response:
    """The register as a file."""
    _spec(kind)
    lang = request_lang(request).value
    body = registers.export_records(app_state(request).workspace, kind, fmt, lang)
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{kind}.{fmt.value}"'})


@router.get("/registers/{kind}/template.{fmt}")
def template_file(request: Request, _principal: Viewer, kind: str, fmt: RegisterFormat) -> Response:
    """An empty file of the register to fill in."""
    _spec(kind)
    body = registers.register_template(kind, fmt, request_lang(request).value)
    return Response(body, media_type=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{kind}-template.{fmt.value}"'})
