"""Runs one hostile case as a real ``csmguard`` process under an address-space limit, and measures its wall
time and peak resident memory.

A small launcher process sets the limit, forks and execs ``csmguard``, and reports the ``wait4`` figures of
that child: Linux counts the memory a process had before ``exec`` in its peak, so ``csmguard`` must be forked
from a small process, not from the test runner that built the corpus in memory."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.hostile.make_corpus import SECRET, Case

CSMGUARD = [str(Path(sys.executable).with_name("csmguard"))]
HANG_GUARD_SECONDS = 300  # only so that a hang cannot stall the suite; the benchmark reports the times


@dataclass(frozen=True)
class Outcome:
    """How the process ended, what it printed, and what it cost."""

    returncode: int
    stdout: str
    stderr: str
    wall_seconds: float
    peak_rss_mb: float
    timed_out: bool

    def report(self) -> dict[str, Any] | None:
        """The JSON scan result on standard output, if there is one."""
        try:
            data = json.loads(self.stdout)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


_LAUNCHER = """
import os, resource, sys
limit, report, argv = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as handle:
    handle.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def run_csmguard(argv: list[str], memory_bytes: int, cwd: Path, timeout: float = HANG_GUARD_SECONDS) -> Outcome:
    """Run ``csmguard argv`` in ``cwd`` with at most ``memory_bytes`` of address space."""
    env = {**os.environ, "CSMGUARD_LANG": "en", "PYTHONWARNINGS": "ignore", "COLUMNS": "1000"}
    env.pop("CSMGUARD_DEBUG", None)
    env.pop("CSMGUARD_WORKSPACE", None)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-c", _LAUNCHER, str(memory_bytes), rss.name, *CSMGUARD, *argv],
                                   cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        timed_out = False
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            timed_out = True
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        peak = rss.read().strip()
        returncode = process.returncode if process.returncode >= 0 else 128 - process.returncode
        return Outcome(returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                       wall, int(peak) / 1024 if peak else float("nan"), timed_out)


def run_case(case: Case, root: Path, memory_bytes: int) -> Outcome:
    """Run the command of ``case`` (written under ``root``); an importer case gets a fresh workspace first."""
    if case.scanner == "register":
        workspace = root / case.name / "ws"
        if not workspace.exists():
            subprocess.run([*CSMGUARD, "init", str(workspace)], check=True, capture_output=True)
    return run_csmguard(case.argv(root), memory_bytes, root / case.name)


def problems(case: Case, outcome: Outcome) -> list[str]:
    """What is wrong with how ``case`` ended (empty when it ended as the budget requires)."""
    found: list[str] = []
    if outcome.timed_out:
        found.append(f"still running after {HANG_GUARD_SECONDS} s")
    if "Traceback" in outcome.stderr or "Traceback" in outcome.stdout:
        found.append("a traceback reached the user")
    if "internal error" in outcome.stderr:
        found.append("the crash guard caught an unexpected exception")
    if outcome.returncode not in (0, 1, 2):
        found.append(f"exit code {outcome.returncode}")
    if SECRET in outcome.stdout:
        found.append("a file outside the scanned folder was read through a symbolic link")
    report = outcome.report()
    if case.scanner == "register":
        if outcome.returncode != 2:
            found.append(f"an importer refusing hostile input exits 2, got {outcome.returncode}")
        listed = outcome.stderr.replace("\n", "")
    elif report is None:
        if outcome.returncode != 2:
            found.append(f"no JSON result and exit code {outcome.returncode}")
        listed = outcome.stderr.replace("\n", "")
    else:
        errors = report.get("errors") or []
        listed = json.dumps(errors, ensure_ascii=False)
        if case.must_error and outcome.returncode not in (0, 1, 2):
            found.append("unexpected exit code")
    for name in case.must_error:
        if name not in listed:
            found.append(f"{name} is not named in the errors")
    return found
