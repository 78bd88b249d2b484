"""``python -m bench.web.heavy``: does ``/healthz`` stay under 200 ms at the 99th percentile while the web app
runs a 300,000-row register import, a 100 MB upload and a website scan at the same time?

Everything runs on 127.0.0.1: ``csmguard serve`` in its own process (one uvicorn worker, SQLite workspace
under bench/.cache/web/heavy), the website the scan crawls (the site benchmark's generated pages, served by a
thread of this process), and the probe, which asks ``/healthz`` every 20 ms on one kept-alive connection,
first with the server idle, then while the three pieces of work run (three users: the app allows one at a
time each). Bounded: the work gets ``--max-seconds`` (default 900); whatever still runs then is reported as
unfinished. The server's resident memory is sampled too (idle, peak, 5 s after the work and after each of
two failing imports of the same size), with that of the job processes it starts: imports and scans run in
child processes, so the server's own memory should stay near its idle level whatever the jobs use.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import openpyxl

from bench.site.__main__ import Handler as SiteHandler
from bench.web.__main__ import CACHE, _Connection, _percentile, _serve
from bench.web.postgres import free_port
from csmguard.services import web_accounts
from csmguard.store.db import session_scope
from csmguard.web.auth.roles import Role
from csmguard.workspace import Workspace, init_workspace

FOLDER = CACHE / "heavy"
TARGET_MS = 200.0
HEADER = ("Device ID", "Owner", "Department", "Ownership", "Holds sensitive data", "Platform", "OS version",
          "MDM-managed", "Status", "Status changed on", "Reassigned to")


def devices_xlsx(path: Path, rows: int, status: str = "in_use") -> Path:
    """A devices register of ``rows`` rows (kept and re-used; ``status`` other than in_use makes every row
    bad, for the failing import)."""
    if path.exists():
        return path
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("devices")
    sheet.append(HEADER)
    for n in range(rows):
        sheet.append((f"D{n:07d}", f"user{n % 700}", "IT", "company", "yes", "iOS" if n % 2 else "Android",
                      "17.1", "yes", status, None, None))
    book.save(path)
    return path


def big_log(path: Path, megabytes: int) -> Path:
    """A text file of ``megabytes`` MB (kept and re-used)."""
    if path.exists() and path.stat().st_size == megabytes * 1024 * 1024:
        return path
    line = b"2026-12-01T00:00:00Z INFO gateway session ok user=someone bytes=123456 path=/api/orders\n"
    block = line * (1024 * 1024 // len(line) + 1)
    with path.open("wb") as out:
        for _ in range(megabytes):
            out.write(block[:1024 * 1024])
    return path


@dataclass
class Work:
    """One piece of heavy work started over HTTP: its outcome and how long it took."""

    name: str
    run: Callable[[], str]
    outcome: str = "unfinished"
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)

    def start(self) -> threading.Thread:
        """Run in a thread of this process."""

        def body() -> None:
            started = time.perf_counter()
            try:
                self.outcome = self.run()
            except httpx.HTTPError as error:
                self.outcome = f"error: {error}"
            self.seconds = time.perf_counter() - started
            self.done.set()

        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        return thread


def _client(base: str, cookie: str) -> httpx.Client:
    return httpx.Client(base_url=base, cookies={"csmguard_session": cookie}, timeout=3600, trust_env=False)


def _csrf(client: httpx.Client, path: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    if match is None:
        raise RuntimeError(f"no form on {path}")
    return match.group(1)


def _sessions(workspace: Workspace) -> dict[str, str]:
    """A full session for each of the three users the work needs (made through the service, as a log-in
    would, without the TOTP round trip)."""
    policy = web_accounts.Policy(argon2_time_cost=1, argon2_memory_kib=1024)
    cookies = {}
    with session_scope(workspace.engine()) as db:
        for name, role in (("bench-admin", Role.ADMINISTRATOR), ("bench-officer", Role.COMPLIANCE_OFFICER),
                           ("bench-officer2", Role.COMPLIANCE_OFFICER)):
            user = web_accounts.create_user(db, "bench", name, name, role, "bench-password-long-enough", policy)
            cookies[name] = web_accounts.open_session(db, user, web_accounts.STAGE_FULL)
    return cookies


def _import(base: str, cookie: str, path: Path) -> Callable[[], str]:
    def run() -> str:
        with _client(base, cookie) as client:
            token = _csrf(client, "/registers/devices")
            with path.open("rb") as handle:
                response = client.post("/registers/devices/import", data={"csrf_token": token},
                                       files={"file": (path.name, handle, "application/octet-stream")})
        found = re.search(r'class="flash[^"]*"[^>]*>([^<]{0,160})', response.text)
        return f"HTTP {response.status_code} {found.group(1).strip() if found else ''}"
    return run


def _upload(base: str, cookie: str, path: Path) -> Callable[[], str]:
    def run() -> str:
        with _client(base, cookie) as client:
            token = _csrf(client, "/evidence")
            with path.open("rb") as handle:
                response = client.post("/evidence", data={"csrf_token": token},
                                       files={"file": (path.name, handle, "text/plain")})
        return f"HTTP {response.status_code}"
    return run


def _site_scan(base: str, cookie: str, origin: str, deadline: float) -> Callable[[], str]:
    def run() -> str:
        with _client(base, cookie) as client:
            token = _csrf(client, "/scans")
            started = client.post("/scans/site", data={"csrf_token": token, "url": origin + "/",
                                                       "allow_private": "true"})
            job = re.search(r'id="job-([0-9a-f]+)"', started.text)
            if started.status_code != 202 or job is None:
                return f"HTTP {started.status_code}, not started"
            while time.monotonic() < deadline:
                state = re.search(r'data-state="(\w+)"', client.get(f"/scans/jobs/{job.group(1)}").text)
                if state is not None and state.group(1) in ("done", "failed"):
                    return f"job {state.group(1)}"
                time.sleep(1)
        return "job still running at the deadline"
    return run


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:  # the process has ended
        pass
    return 0.0


def _children_rss_mb(pid: int) -> float:
    """Resident memory of the server's child processes (the jobs running at the moment)."""
    total = 0.0
    for children in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            total += sum(_rss_mb(int(child)) for child in children.read_text().split())
        except OSError:
            continue
    return total


async def _probe(port: int, until: Callable[[], bool], interval: float, deadline: float,
                 pid: int, peak: list[float], jobs_peak: list[float] | None = None) -> tuple[list[float], int]:
    """Ask /healthz every ``interval`` s until ``until()`` or the deadline; latencies in ms and errors."""
    request = f"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    connection = _Connection(port, request)
    latencies: list[float] = []
    errors = 0
    last_sample = 0.0
    while not until() and time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            status = await asyncio.wait_for(connection.get(), timeout=30)
            if status != 200:
                errors += 1
        except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError, TimeoutError):
            errors += 1
            await connection.close()
        latencies.append((time.perf_counter() - started) * 1000)
        if time.monotonic() - last_sample > 0.5:
            peak.append(_rss_mb(pid))
            if jobs_peak is not None:
                jobs_peak.append(_children_rss_mb(pid))
            last_sample = time.monotonic()
        await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))
    await connection.close()
    return latencies, errors


def _row(phase: str, latencies: list[float], errors: int) -> tuple[str, ...]:
    if not latencies:
        return (phase, "0", "-", "-", "-", "-", str(errors), "-")
    p99 = _percentile(latencies, 0.99)
    return (phase, str(len(latencies)), f"{statistics.median(latencies):.1f}", f"{_percentile(latencies, 0.95):.1f}",
            f"{p99:.1f}", f"{max(latencies):.1f}", str(errors), "met" if p99 < TARGET_MS else "NOT met")


def _table(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows)


def main() -> None:
    """Prepare, serve, probe, print the tables."""
    parser = argparse.ArgumentParser(prog="python -m bench.web.heavy", description=__doc__)
    parser.add_argument("--rows", type=int, default=300_000, help="rows of the register import")
    parser.add_argument("--upload-mb", type=int, default=100, help="size of the evidence upload")
    parser.add_argument("--pages", type=int, default=200, help="pages of the website the scan crawls")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="time the work gets")
    parser.add_argument("--interval", type=float, default=0.02, help="seconds between /healthz probes")
    parser.add_argument("--failing-runs", type=int, default=2, help="failing imports after the three (memory)")
    args = parser.parse_args()
    FOLDER.mkdir(parents=True, exist_ok=True)
    print(f"preparing inputs in {FOLDER} (kept for the next run)", flush=True)
    good = devices_xlsx(FOLDER / f"devices-{args.rows}.xlsx", args.rows)
    bad = devices_xlsx(FOLDER / f"devices-{args.rows}-bad.xlsx", args.rows, status="unknown")
    log = big_log(FOLDER / f"upload-{args.upload_mb}mb.log", args.upload_mb)
    workspace_folder = FOLDER / "ws"
    if workspace_folder.exists():
        for path in sorted(workspace_folder.rglob("*"), reverse=True):
            path.unlink() if path.is_file() or path.is_symlink() else path.rmdir()
    workspace = init_workspace(workspace_folder)
    cookies = _sessions(workspace)
    site = ThreadingHTTPServer(("127.0.0.1", 0), type("BenchSite", (SiteHandler,), {"total": args.pages}))
    threading.Thread(target=site.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{site.server_address[1]}"
    port = free_port()
    server = _serve(workspace, port)
    base = f"http://127.0.0.1:{port}"
    rows: list[tuple[str, ...]] = [("phase", "probes", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors",
                                    f"p99 < {TARGET_MS:.0f} ms")]
    try:
        rss_idle = _rss_mb(server.pid)
        idle, idle_errors = asyncio.run(_probe(port, lambda: False, args.interval, time.monotonic() + 5,
                                               server.pid, []))
        rows.append(_row("idle", idle, idle_errors))
        deadline = time.monotonic() + args.max_seconds
        work = [Work(f"import {args.rows:,} rows (XLSX, {good.stat().st_size / 1e6:.1f} MB)",
                     _import(base, cookies["bench-officer"], good)),
                Work(f"upload {args.upload_mb} MB (evidence)", _upload(base, cookies["bench-officer2"], log)),
                Work(f"site scan ({args.pages} pages on loopback)",
                     _site_scan(base, cookies["bench-admin"], origin, deadline))]
        print("running: " + "; ".join(w.name for w in work), flush=True)
        for item in work:
            item.start()
        peak: list[float] = []
        jobs_peak: list[float] = []
        busy, busy_errors = asyncio.run(_probe(port, lambda: all(w.done.is_set() for w in work), args.interval,
                                               deadline, server.pid, peak, jobs_peak))
        rows.append(_row("during the three", busy, busy_errors))
        time.sleep(5)
        rss_after = _rss_mb(server.pid)
        failing_runs: list[tuple[Work, float, float, float]] = []
        for run in range(args.failing_runs):
            failing = Work(f"failing import {run + 1} ({args.rows:,} bad rows)",
                           _import(base, cookies["bench-officer"], bad))
            failing.start()
            fail_peak: list[float] = []
            fail_jobs: list[float] = []
            during_fail, fail_errors = asyncio.run(_probe(port, failing.done.is_set, args.interval,
                                                          time.monotonic() + args.max_seconds, server.pid,
                                                          fail_peak, fail_jobs))
            rows.append(_row(f"during failing import {run + 1}", during_fail, fail_errors))
            time.sleep(5)
            failing_runs.append((failing, max(fail_peak, default=0.0), _rss_mb(server.pid),
                                 max(fail_jobs, default=0.0)))
    finally:
        server.terminate()
        server.wait(timeout=60)
        site.shutdown()
        workspace.close()
    print(f"\n/healthz every {args.interval * 1000:.0f} ms on 127.0.0.1, target p99 < {TARGET_MS:.0f} ms")
    print(_table(rows))
    print("\nwork")
    print(_table([("work", "seconds", "outcome"),
                  *[(w.name, f"{w.seconds:.1f}", w.outcome) for w in [*work, *(f[0] for f in failing_runs)]]]))
    print("\nresident memory (RSS MB) of the server process, and of the job processes it started (each job runs "
          "in a child process)")
    print(_table([("phase", "server idle before", "server peak", "server 5 s after", "job processes peak"),
                  ("the three", f"{rss_idle:.0f}", f"{max(peak, default=0):.0f}", f"{rss_after:.0f}",
                   f"{max(jobs_peak, default=0):.0f}"),
                  *[(f"failing import {n}", f"{rss_idle:.0f}", f"{top:.0f}", f"{end:.0f}", f"{jobs:.0f}")
                    for n, (_, top, end, jobs) in enumerate(failing_runs, 1)]]))

if __name__ == "__main__":
    main()
