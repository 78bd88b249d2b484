"""Run the app-scanner benchmark: ``python -m bench.app [--source-mb 20] [--apk-dex-mb 10] [--skip-peers]``.

On the same generated inputs, one after the other: ``csmguard scan app`` against mobsfscan 1.1 and
detect-secrets 1.5 (each installed by this script in its own venv under bench/.cache/) on a Java/Kotlin tree,
and csmguard alone on an APK (neither peer reads APKs). Prints wall and CPU time, MB/s, the ratios, and the
peak resident memory of each tool; then each APP rule's precision and recall on the labelled fixture corpus.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench.app import corpus
from bench.app.quality import rule_quality

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "bench" / ".cache"
PEERS = {"mobsfscan": "mobsfscan>=1.1,<1.2", "detect-secrets": "detect-secrets>=1.5,<1.6"}


@dataclass
class Run:
    """One timed run of one tool."""

    tool: str
    wall: float
    cpu: float
    peak_mb: float
    exit_code: int
    detail: str


def ensure_venv(name: str) -> Path:
    """The venv of a peer tool under bench/.cache, created and installed on first use."""
    venv = CACHE / name
    exe = venv / "bin" / name
    if not exe.exists():
        print(f"creating {venv} and installing {PEERS[name]} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "-q", PEERS[name]], check=True)
    return exe


def timed(tool: str, argv: list[str], cwd: Path | None = None, detail: str = "",
          env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` and measure wall time, CPU time of the whole process tree and peak resident memory."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode not in (0, 1):
        print(f"{tool} exited {proc.returncode}: {stderr[-500:]}", file=sys.stderr)
    # ru_maxrss is the largest single process of the tree (kB); CPU includes reaped descendants.
    return Run(tool, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode, detail)


def size_of(path: Path) -> int:
    """Bytes of a file, or of every file under a folder."""
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def count_findings(path: Path, key: str) -> int:
    """How many results a tool's JSON output holds."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return -1
    if key == "csmguard":
        return sum(1 for f in data["findings"] if f["status"] == "fail")
    if key == "detect-secrets":
        return sum(len(v) for v in data.get("results", {}).values())
    return sum(len(v.get("files", [])) for v in data.get("results", {}).values())


def scan_phase(result: Path) -> float:
    """Seconds between the start and the end of the scan recorded in a csmguard JSON result."""
    from datetime import datetime

    data = json.loads(result.read_text(encoding="utf-8"))
    return (datetime.fromisoformat(data["finished_at"]) - datetime.fromisoformat(data["started_at"])).total_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source-mb", type=float, default=20.0)
    parser.add_argument("--apk-dex-mb", type=float, default=10.0)
    parser.add_argument("--apk-filler-mb", type=float, default=7.0)
    parser.add_argument("--skip-peers", action="store_true")
    args = parser.parse_args()
    work = CACHE / "app"
    work.mkdir(parents=True, exist_ok=True)
    src = work / f"src-{args.source_mb:g}mb"
    if not src.exists():
        print(f"generating a {args.source_mb:g} MB Java/Kotlin tree …", file=sys.stderr)
        corpus.source_tree(src, args.source_mb)
    apk = work / f"app-{args.apk_dex_mb:g}mb-{args.apk_filler_mb:g}mb.apk"
    if not apk.exists():
        print("generating the APK …", file=sys.stderr)
        corpus.apk(apk, args.apk_dex_mb, args.apk_filler_mb)
    src_mb = size_of(src) / 1e6
    apk_mb = size_of(apk) / 1e6
    csmguard = str(ROOT / ".venv" / "bin" / "csmguard")
    runs: list[Run] = []
    out = work / "csmguard-src.json"
    runs.append(timed("csmguard", [csmguard, "scan", "app", str(src), "-f", "json", "-q", "-o", str(out),
                                   "--fail-on", "never"]))
    runs[-1].detail = f"{count_findings(out, 'csmguard')} failing findings"
    out1 = work / "csmguard-src-jobs.json"
    runs.append(timed("csmguard --jobs 0", [csmguard, "scan", "app", str(src), "-f", "json", "-q", "-o", str(out1),
                                            "--fail-on", "never", "--jobs", "0"]))
    runs[-1].detail = f"{count_findings(out1, 'csmguard')} failing findings"
    if not args.skip_peers:
        mobsf = ensure_venv("mobsfscan")
        mout = work / "mobsfscan.json"
        # mobsfscan runs the semgrep installed beside it, so its venv's bin goes first on PATH.
        env = {**os.environ, "PATH": f"{mobsf.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        runs.append(timed("mobsfscan 1.1", [str(mobsf), str(src), "--json", "-o", str(mout)], env=env))
        errors = json.loads(mout.read_text(encoding="utf-8")).get("errors") if mout.exists() else ["no output"]
        if errors:
            print(f"mobsfscan reported errors: {str(errors)[:300]}", file=sys.stderr)
        runs[-1].detail = f"{count_findings(mout, 'mobsfscan')} results"
        ds = ensure_venv("detect-secrets")
        dout = work / "detect-secrets.json"
        with dout.open("w", encoding="utf-8") as handle:
            start = time.perf_counter()
            proc = subprocess.Popen([str(ds), "scan", "--all-files", "."], cwd=src, stdout=handle,
                                    stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(proc.pid, 0)
        runs.append(Run("detect-secrets 1.5", time.perf_counter() - start, usage.ru_utime + usage.ru_stime,
                        usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
                        f"{count_findings(dout, 'detect-secrets')} secrets"))
    print(f"\nSource tree: {src} ({src_mb:.1f} MB, {sum(1 for _ in src.rglob('*.*'))} files)")
    print(f"{'tool':<22}{'wall s':>9}{'CPU s':>9}{'MB/s wall':>11}{'MB/s CPU':>10}{'peak MB':>9}  result")
    for run in runs:
        print(f"{run.tool:<22}{run.wall:>9.2f}{run.cpu:>9.2f}{src_mb / run.wall:>11.2f}{src_mb / run.cpu:>10.2f}"
              f"{run.peak_mb:>9.0f}  {run.detail}")
    ours = runs[0]
    print(f"csmguard scan phase (without start-up): {scan_phase(out):.2f} s = {src_mb / scan_phase(out):.1f} MB/s; "
          f"--jobs 0 (one worker per CPU): {scan_phase(out1):.2f} s")
    for run in runs[2:]:
        print(f"csmguard is {run.wall / ours.wall:.1f}x faster than {run.tool} (wall), "
              f"{run.cpu / ours.cpu:.1f}x (CPU)")
    apk_out = work / "csmguard-apk.json"
    apk_run = timed("csmguard apk", [csmguard, "scan", "app", str(apk), "-f", "json", "-q", "-o", str(apk_out),
                                     "--fail-on", "never"])
    startup = timed("csmguard startup", [csmguard, "scan", "app", "--help"])
    print(f"\nAPK: {apk} ({apk_mb:.1f} MB file)")
    phase = scan_phase(apk_out)
    scan_cpu = max(apk_run.cpu - startup.cpu, 0.001)
    print(f"csmguard scan app: {apk_run.wall:.2f} s wall / {apk_run.cpu:.2f} s CPU for the command, of which "
          f"interpreter and CLI start-up take {startup.wall:.2f} s wall / {startup.cpu:.2f} s CPU; the scan itself "
          f"{phase:.2f} s wall, {scan_cpu:.2f} s CPU = {apk_mb / phase:.1f} MB/s wall, {apk_mb / scan_cpu:.1f} MB/s "
          f"CPU; peak {apk_run.peak_mb:.0f} MB; {count_findings(apk_out, 'csmguard')} failing findings")
    print("\nPer-rule precision and recall on the labelled fixture corpus (tests/rules/APP-*/fail|pass):")
    print(f"{'rule':<9}{'TP':>4}{'FN':>4}{'FP':>4}{'TN':>4}{'precision':>11}{'recall':>8}  "
          "hits on other rules' fixtures")
    for row in rule_quality(ROOT / "tests" / "rules"):
        other = "-" if row.target_level else str(row.other_hits)
        print(f"{row.rule_id:<9}{row.tp:>4}{row.fn:>4}{row.fp:>4}{row.tn:>4}{row.precision:>11.2f}"
              f"{row.recall:>8.2f}  {other}")


if __name__ == "__main__":
    main()
