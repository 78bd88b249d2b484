"""A throw-away PostgreSQL cluster for the benchmark (Debian's server binaries, loopback only, trust auth)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise RuntimeError("PostgreSQL server binaries not found (Debian package postgresql)")
    return found[-1]


def _as_postgres(args: list[str]) -> list[str]:
    """Run as the postgres user when we are root (the server refuses to run as root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Cluster:
    """initdb + pg_ctl start in ``folder``; ``url`` for SQLAlchemy; ``stop()`` shuts it down."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = free_port()
        self.url = f"postgresql+psycopg://csmguard@127.0.0.1:{self.port}/bench"

    def start(self, fresh: bool) -> bool:
        """Start the cluster; returns True when the database was created now (and needs data)."""
        created = fresh or not self.data.exists()
        if created:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder.mkdir(parents=True)
            if os.geteuid() == 0:
                shutil.chown(self.folder, "postgres", "postgres")
            subprocess.run(_as_postgres([_bin("initdb"), "-D", str(self.data), "-U", "csmguard", "--auth=trust",
                                         "-E", "UTF8", "--locale=C.UTF-8"]), check=True, capture_output=True)
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"), "-w",
                                     "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                                     "-c max_connections=200 -c fsync=off", "start"]), check=True,
                       capture_output=True)
        if created:
            subprocess.run([_bin("createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "csmguard", "bench"],
                           check=True, capture_output=True)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        return created

    def stop(self) -> None:
        """Stop the server."""
        subprocess.run(_as_postgres([_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]),
                       capture_output=True, check=False)
