"""``python -m bench.web``: the dashboard and a requirement page at the 95th percentile with 50 concurrent
clients (a load generator on loopback), over a workspace with 100,000 findings and 10,000 devices, on
SQLite and PostgreSQL. The target is p95 under 200 ms.

The server is ``csmguard serve`` in its own process (one uvicorn worker, as users run it); the load
generator is a bare asyncio HTTP/1.1 client (kept-alive connections, one per client) in this
process. Workspaces are kept in bench/.cache/web/ and re-used (``--fresh`` rebuilds them; filling one
takes a few minutes).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx

from bench.web.data import fill
from bench.web.postgres import Cluster, free_port
from csmguard.auth.roles import Role
from csmguard.services import web_accounts
from csmguard.store.db import session_scope
from csmguard.workspace import SETTINGS_FILE, Workspace, init_workspace, open_workspace

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "web"
TARGET_MS = 200.0


def _workspace(folder: Path, db_url: str | None, fresh: bool) -> Workspace:
    if fresh or not (folder / SETTINGS_FILE).exists():
        if folder.exists():
            for path in sorted(folder.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
        started = time.perf_counter()
        workspace = init_workspace(folder, db_url=db_url)
        steps = fill(workspace)
        print(f"  filled in {time.perf_counter() - started:.0f} s: "
              + ", ".join(f"{k} {v:.0f} s" for k, v in steps.items()), flush=True)
        return workspace
    if db_url is not None:  # the throw-away server listens on a new port each run
        settings = folder / SETTINGS_FILE
        lines = [f'db_url = "{db_url}"' if line.startswith("db_url") else line
                 for line in settings.read_text(encoding="utf-8").splitlines()]
        settings.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return open_workspace(folder)


def _session_cookie(workspace: Workspace) -> str:
    policy = web_accounts.Policy(argon2_time_cost=1, argon2_memory_kib=1024)
    with session_scope(workspace.engine()) as db:
        users = {u.username: u for u in web_accounts.list_users(db)}
        user = users.get("bench-auditor") or web_accounts.create_user(
            db, "bench", "bench-auditor", "Bench", Role.AUDITOR, "bench-password-long-enough", policy)
        return web_accounts.open_session(db, user, web_accounts.STAGE_FULL)


def _busiest_requirement(workspace: Workspace) -> str:
    from sqlalchemy import select

    from csmguard.store.models import FindingRow

    counts: dict[str, int] = {}
    with session_scope(workspace.engine()) as db:
        for requirements in db.scalars(select(FindingRow.requirements).limit(2000)):
            for requirement in requirements:
                counts[requirement] = counts.get(requirement, 0) + 1
    return max(counts, key=lambda r: counts[r])


class _Connection:
    """One kept-alive HTTP/1.1 connection of the load generator: a bare asyncio stream that sends a GET and
    reads the response by its Content-Length. httpx's client costs more CPU per request than the server
    does, so on a 2-core machine it, not the server, set the pace; this costs a fraction of that."""

    def __init__(self, port: int, request: bytes) -> None:
        self.port = port
        self.request = request
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def get(self) -> int:
        """Send the request and read the whole response; its status code."""
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port)
        reader, writer = self.streams
        writer.write(self.request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        headers = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
        length = {key.strip().lower(): value.strip() for key, value in headers.items()}.get(b"content-length")
        if length is None:
            raise ConnectionError("a response without Content-Length")
        await reader.readexactly(int(length))
        return status

    async def close(self) -> None:
        """Close the connection."""
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def _load(port: int, cookie: str, path: str, total: int, concurrency: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    remaining = total
    request = (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nCookie: csmguard_session={cookie}\r\n"
               "Accept: text/html\r\n\r\n").encode()
    connections = [_Connection(port, request) for _ in range(concurrency)]
    for _ in range(20):  # warm-up: fill the server's caches
        await connections[0].get()

    async def worker(connection: _Connection) -> None:
        nonlocal errors, remaining
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                status = await connection.get()
            except (OSError, asyncio.IncompleteReadError, ConnectionError, ValueError):
                errors += 1
                await connection.close()
                continue
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker(connection) for connection in connections))
    elapsed = time.perf_counter() - started
    for connection in connections:
        await connection.close()
    return latencies, elapsed, errors


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _serve(workspace: Workspace, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CSMGUARD_WEB_ARGON2_TIME_COST": "1", "CSMGUARD_WEB_ARGON2_MEMORY_KIB": "1024"}
    process = subprocess.Popen([str(Path(sys.executable).with_name("csmguard")), "serve", "-w", str(workspace.root),
                                "--port", str(port)], env=env, stdout=subprocess.DEVNULL,
                               stderr=(CACHE / "server.log").open("wb"))
    for _ in range(600):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start")


def run_backend(name: str, workspace: Workspace, requests: int, concurrency: int) -> list[tuple[str, ...]]:
    """Serve the workspace and load both pages; one result row per page."""
    cookie = _session_cookie(workspace)
    requirement = _busiest_requirement(workspace)
    port = free_port()
    server = _serve(workspace, port)
    rows: list[tuple[str, ...]] = []
    try:
        for label, path in (("dashboard", "/"), (f"requirement {requirement}", f"/catalog/{requirement}")):
            latencies, elapsed, errors = asyncio.run(_load(port, cookie, path, requests, concurrency))
            p95 = _percentile(latencies, 0.95)
            rows.append((name, label, str(len(latencies)), f"{len(latencies) / elapsed:.0f}",
                         f"{statistics.median(latencies):.0f}", f"{p95:.0f}", f"{_percentile(latencies, 0.99):.0f}",
                         f"{p95 / TARGET_MS:.2f}", str(errors)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return rows


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(prog="python -m bench.web", description=__doc__)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=1000, help="requests per page")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--fresh", action="store_true", help="rebuild the workspaces")
    args = parser.parse_args()
    rows: list[tuple[str, ...]] = []
    for backend in args.backends.split(","):
        print(f"{backend}: preparing the workspace (100,000 findings, 10,000 devices)", flush=True)
        if backend == "sqlite":
            workspace = _workspace(CACHE / "sqlite", None, args.fresh)
            rows += run_backend("SQLite", workspace, args.requests, args.concurrency)
            workspace.close()
        elif backend == "postgresql":
            cluster = Cluster(CACHE / "postgres")
            created = cluster.start(args.fresh)
            try:
                workspace = _workspace(CACHE / "pg-workspace", cluster.url, args.fresh or created)
                print(f"  server port {cluster.port}", flush=True)
                rows += run_backend("PostgreSQL", workspace, args.requests, args.concurrency)
                workspace.close()
            finally:
                cluster.stop()
        else:
            parser.error(f"unknown backend {backend}")
    header = ("backend", "page", "requests", "req/s", "p50 ms", "p95 ms", "p99 ms", "p95/200ms", "errors")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{args.concurrency} concurrent clients, target p95 < {TARGET_MS:.0f} ms")
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
