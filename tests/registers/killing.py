"""Running a real child process until it writes a marker file, then killing it with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"


def kill_at_marker(script: str, args: list[str], marker: Path) -> None:
    """Run ``python -c script *args`` with the source tree on its path; once ``marker`` exists, SIGKILL it
    (the test fails if the child ends or takes more than 90 s before that)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    child = subprocess.Popen([sys.executable, "-c", script, *args], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 90
        while not (marker.exists() and marker.read_text()):  # created and written: the child is waiting
            if child.poll() is not None:
                _, err = child.communicate()
                pytest.fail(f"the process ended before the marker: {err.decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail("the process never reached the marker")
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        for stream in (child.stdout, child.stderr):
            if stream:
                stream.close()
