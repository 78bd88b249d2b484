"""Run a command and print ``<exit code> <peak RSS KiB>`` of it on the last line (a fresh process per
measurement, so that one tool's peak memory is never mixed with another's)."""

from __future__ import annotations

import resource
import subprocess
import sys

if __name__ == "__main__":
    done = subprocess.run(sys.argv[1:], check=False, stdout=subprocess.DEVNULL)
    print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
