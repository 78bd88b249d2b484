"""A failing register import leaves the server's memory where it was: ``csmguard serve`` in its own process
on 127.0.0.1, its resident memory read from /proc before and after an import of 40,000 bad rows (which,
parsed in the server as before, kept tens of MB). The import must run and fail in another process, with its
failure recorded in the job table."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from csmguard.auth.roles import Role
from csmguard.jobs import table
from csmguard.registers.io import RegisterFormat
from csmguard.services import registers, web_accounts
from csmguard.store.db import session_scope
from csmguard.workspace import Workspace
from tests.web.conftest import POLICY, free_port

ROWS = 40_000
MARGIN_MB = 20.0  # allocator noise of a request or two; the import itself peaked far above this in-process


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def _bad_devices(rows: int) -> bytes:
    header = registers.register_template("devices", RegisterFormat.CSV, "en")
    body = "".join(f"D{n:06d},user{n % 700},IT,company,yes,iOS,17.1,yes,misplaced,,\n" for n in range(rows))
    return header + body.encode()


@pytest.fixture
def server(workspace: Workspace) -> Iterator[tuple[subprocess.Popen[bytes], str, str]]:
    """``csmguard serve`` over the workspace on a free loopback port; (process, base URL, session cookie)."""
    with session_scope(workspace.engine()) as db:
        user = web_accounts.create_user(db, "test", "olivia", "Olivia", Role.COMPLIANCE_OFFICER,
                                        "correct horse battery staple", POLICY)
        cookie = web_accounts.open_session(db, user, web_accounts.STAGE_FULL)
    port = free_port()
    env = {**os.environ, "CSMGUARD_WEB_ARGON2_TIME_COST": "1", "CSMGUARD_WEB_ARGON2_MEMORY_KIB": "1024"}
    process = subprocess.Popen([str(Path(sys.executable).with_name("csmguard")), "serve", "-w",
                                str(workspace.root), "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start")
        yield process, base, cookie
    finally:
        process.terminate()
        process.wait(timeout=60)


def _import(client: httpx.Client, body: bytes) -> httpx.Response:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/registers/devices").text)
    assert token is not None
    return client.post("/registers/devices/import", data={"csrf_token": token.group(1)},
                       files={"file": ("devices.csv", body, "text/csv")})


def test_failing_import_leaves_the_server_memory_at_its_level(
        workspace: Workspace, server: tuple[subprocess.Popen[bytes], str, str]) -> None:
    process, base, cookie = server
    with httpx.Client(base_url=base, cookies={"csmguard_session": cookie}, timeout=600, trust_env=False) as client:
        for _ in range(2):  # warm-up: templates, the error page, the job machinery
            assert _import(client, _bad_devices(300)).status_code == 400
        time.sleep(1)
        before = _rss_mb(process.pid)
        response = _import(client, _bad_devices(ROWS))
        time.sleep(1)
        after = _rss_mb(process.pid)
    assert response.status_code == 400 and f"{ROWS:,}" in response.text
    newest = table.recent(workspace.engine(), 1)[0]
    assert newest.kind == "register.import" and newest.state == "failed"
    assert newest.outcome is not None and newest.outcome["total"] == ROWS
    assert newest.child_pid is not None and newest.child_pid != process.pid  # not parsed by the server
    assert after - before < MARGIN_MB, (before, after)
