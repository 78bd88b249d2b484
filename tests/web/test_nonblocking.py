"""The server keeps answering while heavy work runs: a register import runs as a job in a child process (the
event loop serves /healthz meanwhile), one piece of heavy work per user (a second gets 429), and a failed
import runs and fails in another process, leaving the server nothing of it."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

import httpx
import pyotp
from fastapi import FastAPI
from fastapi.testclient import TestClient

from csmguard.auth.roles import Role
from csmguard.registers.io import RegisterFormat
from csmguard.services import registers
from csmguard.services.catalog import CatalogView
from csmguard.web.app import create_app
from csmguard.web.settings import WebSettings
from csmguard.web.state import AppState
from csmguard.web.work import Busy, WorkSlots
from csmguard.workspace import Workspace
from tests.web.conftest import FAST_HASH, PASSWORD, csrf_of, serving

ROWS = 6_000  # a few seconds of import on the development machine; the test waits for it, never times it


def _devices_csv(rows: int) -> bytes:
    header = registers.register_template("devices", RegisterFormat.CSV, "en")
    body = "".join(f"D{n:06d},user{n % 700},IT,company,yes,{'iOS' if n % 2 else 'Android'},17.1,yes,in_use,,\n"
                   for n in range(rows))
    return header + body.encode()


def _login(base: str, username: str, secret: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120, follow_redirects=False)
    page = client.get("/login")
    response = client.post("/login", data={"username": username, "password": PASSWORD,
                                           "code": pyotp.TOTP(secret).now(), "csrf_token": csrf_of(page.text)})
    assert response.status_code == 303, response.text
    return client


def _app(workspace: Workspace, catalog_view: CatalogView) -> FastAPI:
    settings = WebSettings(workspace=workspace.root, secure_cookies=False, **FAST_HASH)
    return create_app(settings, workspace, catalog_view)


def test_healthz_answers_while_an_import_runs(workspace: Workspace, catalog_view: CatalogView,
                                              make_user: Callable[[str, Role], str]) -> None:
    app = _app(workspace, catalog_view)
    state: AppState = app.state.ctx
    secret = make_user("olivia", Role.COMPLIANCE_OFFICER)
    body = _devices_csv(ROWS)
    with serving(app) as base:
        officer = _login(base, "olivia", secret)
        token = csrf_of(officer.get("/registers/devices").text)
        outcome: dict[str, httpx.Response] = {}

        def run_import() -> None:
            outcome["import"] = officer.post("/registers/devices/import", data={"csrf_token": token},
                                             files={"file": ("devices.csv", body, "text/csv")})

        importer = threading.Thread(target=run_import)
        importer.start()
        for _ in range(1200):  # until the import is queued or running (the upload has been received)
            if state.jobs.active("olivia") or not importer.is_alive():
                break
            time.sleep(0.05)
        assert state.jobs.active("olivia") == 1, outcome
        with httpx.Client(base_url=base, timeout=60) as probe:
            health = probe.get("/healthz")
        assert health.status_code == 200 and health.json() == {"status": "ok"}
        assert importer.is_alive(), "the import ended before /healthz was asked; make ROWS larger"
        # the same user cannot start a second piece of heavy work meanwhile
        second = officer.post("/registers/devices/import", data={"csrf_token": token},
                              files={"file": ("devices.csv", _devices_csv(10), "text/csv")})
        assert second.status_code == 429 and second.headers["retry-after"] == "30"
        assert "1" in second.text and ("正在執行" in second.text or "running" in second.text)
        importer.join(timeout=600)
        last = officer.get("/registers/devices?page=6").text  # the last page: a LIMIT/OFFSET query
        officer.close()
    assert outcome["import"].status_code == 200, outcome["import"].text
    assert 'id="records-cut"' in outcome["import"].text  # the page lists the first 1,000, not all 6,000
    assert outcome["import"].text.count("/edit") == 1000
    assert last.count("/edit") == 1000 and "5001–6000" in last and 'rel="prev"' in last and 'rel="next"' not in last
    assert len(registers.list_records(workspace, "devices")) == ROWS
    assert state.slots.running() == 0 and state.jobs.active() == 0
    [job] = state.jobs.recent()
    assert job.kind == "register.import" and job.state == "done" and job.child_pid not in (None, os.getpid())


def test_work_slots_per_user_and_server_wide() -> None:
    slots = WorkSlots(per_user=1, total=2)
    first = slots.claim("a")
    try:
        slots.claim("a")
    except Busy as busy:
        assert busy.key == "busy_user"
    else:
        raise AssertionError("a second slot for the same user")
    second = slots.claim("b")
    try:
        slots.claim("c")
    except Busy as busy:
        assert busy.key == "busy_server" and busy.limit == 2
    else:
        raise AssertionError("a third slot on a server limited to two")
    first.release()
    first.release()  # releasing twice gives back one place only
    assert slots.running() == 1
    slots.claim("c").release()
    second.release()
    assert slots.running() == 0


def test_failed_import_runs_and_fails_in_a_child_process(clients: dict[Role, TestClient]) -> None:
    officer = clients[Role.COMPLIANCE_OFFICER]
    state: AppState = officer.app.state.ctx  # type: ignore[attr-defined]
    bad = _devices_csv(3_000).replace(b",in_use,", b",misplaced,")  # every row has a bad status
    token = csrf_of(officer.get("/registers/devices").text)
    response = officer.post("/registers/devices/import", data={"csrf_token": token},
                            files={"file": ("devices.csv", bad, "text/csv")})
    assert response.status_code == 400 and "in_use" in response.text  # the allowed statuses
    assert "3,000" in response.text  # the count of bad rows, then the first rows listed
    [job] = state.jobs.recent()
    assert job.state == "failed" and job.outcome is not None and job.outcome["total"] == 3000
    assert job.child_pid is not None and job.child_pid != os.getpid()  # parsed and refused elsewhere
    folder = state.workspace.root / "jobs" / job.id
    for _ in range(200):  # its worker removes the job's files right after the child has recorded the end
        if not folder.exists():
            break
        time.sleep(0.05)
    assert not folder.exists()
    assert registers.list_records(state.workspace, "devices") == []
