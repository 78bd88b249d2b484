"""Schedules: validation (exit 2 naming the field), due schedules enqueued once on the job queue and moved to
their next time (Asia/Taipei cron), and ``schedule run-due --work`` running real jobs in child processes: the
register checks recorded as a scan, a privacy policy fetched from a loopback page."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.dates import TAIPEI
from csmguard.jobs import table
from csmguard.services.registers import add_record
from csmguard.services.schedules import add_schedule, list_schedules, next_run, run_due
from csmguard.services.social import privacy_status
from csmguard.services.workspace import list_scans
from csmguard.workspace import Workspace, init_workspace
from tests.store.conftest import pg_server, pg_url  # noqa: F401 - the PostgreSQL fixtures

runner = CliRunner()


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = init_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def _cli(ws: Workspace, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, [*args, "-w", str(ws.root)], env={"COLUMNS": "300"})
    return result.exit_code, result.output


def test_cron_is_read_in_taipei() -> None:
    # 02:00 Taipei is 18:00 UTC the day before
    assert next_run("0 2 * * *", datetime(2026, 12, 8, 3, 0, tzinfo=UTC)) == datetime(2026, 12, 8, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(("args", "field"), [
    (["--kind", "register", "--cron", "61 * * * *"], "cron"),
    (["--kind", "nightly", "--cron", "0 2 * * *"], "kind"),
    (["--kind", "endpoint", "--cron", "0 2 * * *"], "--target"),
    (["--kind", "site", "--cron", "0 2 * * *"], "--url"),
    (["--kind", "register", "--cron", "0 2 * * *", "--url", "https://example.com"], "--target"),
])
def test_bad_schedules_are_exit_2(ws: Workspace, args: list[str], field: str) -> None:
    code, out = _cli(ws, "schedule", "add", "nightly", *args)
    assert code == 2 and field in out, out
    assert list_schedules(ws) == []


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_ws(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace on SQLite, then on a real PostgreSQL server."""
    db_url = request.getfixturevalue("pg_url") if request.param == "postgres" else None
    workspace = init_workspace(tmp_path / "any", db_url=db_url)
    yield workspace
    workspace.close()


def test_due_schedules_are_enqueued_once(any_ws: Workspace) -> None:
    ws = any_ws
    created = datetime(2026, 12, 8, 0, 0, tzinfo=UTC)  # 08:00 Taipei
    add_schedule(ws, "registers-daily", "register", "30 8 * * *", now=created, actor="王法遵")
    add_schedule(ws, "tls-weekly", "endpoint", "0 3 * * 1", targets=["https://example.com.tw"], now=created)
    assert _cli(ws, "schedule", "add", "registers-daily", "--kind", "register", "--cron", "0 1 * * *")[0] == 2
    enqueued: list[tuple[str, dict[str, Any], str, str]] = []

    def enqueue(kind: str, payload: dict[str, Any], owner: str, label: str) -> str:
        enqueued.append((kind, payload, owner, label))
        return table.insert(ws.engine(), kind, owner, label, payload)

    assert run_due(ws, enqueue, now=created + timedelta(minutes=20)) == []  # 08:20: nothing yet
    started = run_due(ws, enqueue, now=created + timedelta(minutes=45))
    assert [name for name, _ in started] == ["registers-daily"]
    job = table.get(ws.engine(), started[0][1])
    assert job is not None and job.kind == "register.check" and job.state == "queued"
    assert job.owner == "schedule:registers-daily"
    assert run_due(ws, enqueue, now=created + timedelta(minutes=50)) == []  # moved to tomorrow 08:30
    daily = next(s for s in list_schedules(ws) if s.name == "registers-daily")
    assert daily.next_run_at == datetime(2026, 12, 9, 0, 30, tzinfo=UTC) and daily.last_job_id == started[0][1]
    # missed runs are not replayed: a week later the endpoint schedule is enqueued once
    later = run_due(ws, enqueue, now=created + timedelta(days=14))
    assert sorted(name for name, _ in later) == ["registers-daily", "tls-weekly"]
    endpoint = next(payload for kind, payload, _owner, _label in enqueued if kind == "scan.endpoint")
    assert endpoint == {"targets": ["https://example.com.tw"], "allow_private": False,
                        "subject": "https://example.com.tw"}


class _Policy(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = "<html><body><main><p>本平台隱私權政策第一版。</p></main></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_args: object) -> None:
        return


@pytest.mark.slow
def test_run_due_work_runs_real_jobs(ws: Workspace) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Policy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        add_record(ws, "social-accounts", {"platform": "line", "handle": "範例證券",
                                           "privacy_policy_url": f"http://127.0.0.1:{server.server_address[1]}/p"})
        # yearly at a moment two days ago: due once now, and not again for a year (no hour boundary to race)
        past = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
        local = past.astimezone(TAIPEI)
        cron = f"{local.minute} {local.hour} {local.day} {local.month} *"
        add_schedule(ws, "registers", "register", cron, now=past - timedelta(minutes=1))
        add_schedule(ws, "privacy", "privacy", cron, allow_private=True, now=past - timedelta(minutes=1))
        code, out = _cli(ws, "schedule", "run-due", "--work", "--lang", "en")
        assert code == 0, out
        assert "registers:" in out and "privacy:" in out and out.count(" done") == 2, out
        scans = list_scans(ws)
        assert [s["scanner"] for s in scans] == ["register"]
        assert [p.platform for p in privacy_status(ws)] == ["line"]
        code, out = _cli(ws, "schedule", "run-due")
        assert code == 0 and "沒有到期之排程" in out
        code, out = _cli(ws, "schedule", "list", "--lang", "en")
        assert code == 0 and "registers" in out and "privacy" in out
        assert _cli(ws, "schedule", "remove", "privacy")[0] == 0
        assert [s.name for s in list_schedules(ws)] == ["registers"]
        assert _cli(ws, "schedule", "remove", "privacy")[0] == 2
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.slow
def test_the_web_app_runs_due_schedules(ws: Workspace) -> None:
    """With the web app running, a due schedule is enqueued on its queue and worked by its job workers."""
    import time

    from fastapi.testclient import TestClient

    from csmguard.web.app import create_app
    from csmguard.web.settings import WebSettings

    past = (datetime.now(UTC) - timedelta(days=2)).replace(second=0, microsecond=0)
    local = past.astimezone(TAIPEI)
    add_schedule(ws, "registers", "register", f"{local.minute} {local.hour} {local.day} {local.month} *",
                 now=past - timedelta(minutes=1))
    settings = WebSettings(workspace=ws.root, argon2_time_cost=1, argon2_memory_kib=1024)
    with TestClient(create_app(settings, ws), base_url="https://testserver"):
        deadline = time.monotonic() + 120
        while not list_scans(ws) and time.monotonic() < deadline:
            time.sleep(0.5)
    assert [s["scanner"] for s in list_scans(ws)] == ["register"]
    schedule = list_schedules(ws)[0]
    assert schedule.last_job_id is not None and schedule.next_run_at > datetime.now(UTC)
    job = table.get(ws.engine(), schedule.last_job_id)
    assert job is not None and job.state == "done" and job.owner == "schedule:registers"
