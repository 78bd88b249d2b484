"""``python -m bench.web``: the dashboard and a requirement page at the 95th percentile with 50 concurrent
clients (a load generator on loopback), over a workspace with 100,000 findings and 10,000 devices, on
SQLite and PostgreSQL. The target is p95 under 200 ms.

The server is ``csmguard serve`` in its own process (one uvicorn worker, as users run it); the load
generator is an asyncio httpx client in this process. Workspaces are kept in bench/.cache/web/ and re-used
(``--fresh`` rebuilds them; filling one takes a few minutes).
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
from csmguard.services import web_accounts
from csmguard.store.db import session_scope
from csmguard.web.auth.roles import Role
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


async def _load(base: str, cookie: str, path: str, total: int, concurrency: int) -> tuple[list[float], float, int]:
    latencies: list[float] = []
    errors = 0
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(total):
        queue.put_nowait(n)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, cookies={"csmguard_session": cookie}, limits=limits,
                                 timeout=60) as client:
        for _ in range(20):  # warm-up: fill the server's caches
            await client.get(path)

        async def worker() -> None:
            nonlocal errors
            while not queue.empty():
                queue.get_nowait()
                started = time.perf_counter()
                try:
                    response = await client.get(path)
                except httpx.TransportError:  # e.g. a kept-alive connection the server had just closed
                    errors += 1
                    continue
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    errors += 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
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
    rows = []
    try:
        for label, path in (("dashboard", "/"), (f"requirement {requirement}", f"/catalog/{requirement}")):
            latencies, elapsed, errors = asyncio.run(_load(f"http://127.0.0.1:{port}", cookie, path, requests,
                                                           concurrency))
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
