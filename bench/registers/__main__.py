"""Register import benchmark: ``python -m bench.registers [--rows N] [--max-rows M]``.

Writes an XLSX of N identical device rows (default 3,000,000, under 1 MB on disk) once under
bench/.cache/registers/, then runs ``csmguard register devices import`` on it in a fresh workspace, in its
own process, and prints the exit code, the time and the peak memory. The import must refuse the file at
the row cap (default 100,000) without reading the rest: target under 30 s and 500 MB."""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.registers.generate import huge_xlsx

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "registers"


def main() -> None:
    """Run the benchmark and print one table row."""
    parser = argparse.ArgumentParser(prog="python -m bench.registers")
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--max-rows", type=int, default=100_000)
    args = parser.parse_args()
    CACHE.mkdir(parents=True, exist_ok=True)
    source = CACHE / f"devices-{args.rows}.xlsx"
    if not source.exists():
        huge_xlsx(source, args.rows)
    workspace = CACHE / "ws"
    shutil.rmtree(workspace, ignore_errors=True)
    cli = [sys.executable, "-c", "from csmguard.cli.main import app; app()"]
    subprocess.run([*cli, "init", str(workspace)], check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run([*cli, "register", "devices", "import", str(source), "--max-rows", str(args.max_rows),
                           "-w", str(workspace)], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    peak_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    message = " ".join(done.stderr.split())[:160]
    print("| file | rows | cap | exit | seconds | peak MiB | message |")
    print("|---|---|---|---|---|---|---|")
    print(f"| {source.name} ({source.stat().st_size / 1e6:.2f} MB) | {args.rows:,} | {args.max_rows:,} | "
          f"{done.returncode} | {seconds:.1f} | {peak_mib:.0f} | {message} |")


if __name__ == "__main__":
    main()
