"""Fleet benchmark: ``python -m bench.fleet [--devices N]``.

Generates a realistic Intune Graph export (JSON lines) of N devices (default one million) once under
bench/.cache/fleet/, then, each in its own process on the same file:
1. parses every line with orjson (the fastest JSON parser available here) and does nothing else;
2. runs the whole fleet scan (read, normalise, judge 17 DEV rules, tally, findings, fleet summary).
Prints the time, devices per second and peak memory of both, and the ratio (target: scan < 30 s for one
million devices on 2 cores, peak memory < 2 GB, within 3x of the parse)."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.fleet.generate import write_jsonl

CACHE = Path(__file__).resolve().parents[1] / ".cache" / "fleet"

PARSE = """
import json, resource, sys, time
import orjson
start = time.perf_counter()
cpu = time.process_time()
count = 0
with open(sys.argv[1], "rb") as handle:
    for line in handle:
        if line.strip():
            orjson.loads(line)
            count += 1
elapsed = time.perf_counter() - start
cpu = time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "cpu": cpu, "devices": count, "peak_kib": peak}))
"""

SCAN = """
import json, resource, sys, time
from datetime import date
from pathlib import Path
from typing import Any
from csmguard.services.fleet_scan import FleetScanOptions, load_fleet_rules, scan_fleet
rules = load_fleet_rules()
start = time.perf_counter()
cpu = time.process_time()
result, _ = scan_fleet(FleetScanOptions(paths=(Path(sys.argv[1]),), workers=int(sys.argv[2]),
                                        as_of=date(2026, 11, 29)), ruleset=rules)
elapsed = time.perf_counter() - start
children = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = time.process_time() - cpu + children.ru_utime + children.ru_stime
own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = children.ru_maxrss
print(json.dumps({"seconds": elapsed, "cpu": cpu, "devices": result.stats["evaluated"],
                  "read": result.stats["records_read"],
                  "findings": len(result.findings), "peak_kib": own, "worker_peak_kib": workers,
                  "failing_rules": result.stats["fleet_failing_rules"]}))
"""


def _run(code: str, *args: str) -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True)
    data: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return data


def main() -> None:
    """Generate (once), measure both, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=1_000_000)
    parser.add_argument("--workers", type=int, default=0, help="scan processes (0: up to 2)")
    args = parser.parse_args()
    export = CACHE / f"intune-{args.devices}.jsonl"
    if not export.is_file():
        started = time.perf_counter()
        write_jsonl(export, args.devices)
        print(f"generated {export} ({export.stat().st_size / 1e9:.2f} GB) in {time.perf_counter() - started:.1f} s")
    parse = _run(PARSE, str(export))
    scan = _run(SCAN, str(export), str(args.workers))
    p_s, s_s = float(parse["seconds"]), float(scan["seconds"])
    peak_mb = max(int(scan["peak_kib"]), int(scan["worker_peak_kib"])) / 1024
    p_cpu, s_cpu = float(parse["cpu"]), float(scan["cpu"])
    print(f"{'':28}{'seconds':>10}{'CPU s':>10}{'devices/s':>14}{'peak MB':>10}")
    print(f"{'orjson parse only':28}{p_s:>10.2f}{p_cpu:>10.2f}{int(parse['devices']) / p_s:>14,.0f}"
          f"{int(parse['peak_kib']) / 1024:>10.0f}")
    print(f"{'csmguard scan fleet':28}{s_s:>10.2f}{s_cpu:>10.2f}{int(scan['devices']) / s_s:>14,.0f}{peak_mb:>10.0f}")
    print(f"CPU time over the 2 cores: {s_cpu / 2:.2f} s of wall time if both cores were free "
          f"(ratio {s_cpu / 2 / p_cpu:.2f}x of the parse's CPU time); load average now {os.getloadavg()[0]:.1f}")
    print(f"ratio scan / parse: {s_s / p_s:.2f}x (target <= 3x); devices evaluated {scan['devices']} of "
          f"{scan['read']} read; findings {scan['findings']}; failing fleet rules {scan['failing_rules']}")
    print(f"targets: < 30 s {'met' if s_s < 30 else 'NOT met'}; < 2 GB {'met' if peak_mb < 2048 else 'NOT met'}; "
          f"<= 3x {'met' if s_s / p_s <= 3 else 'NOT met'}")


if __name__ == "__main__":
    main()
