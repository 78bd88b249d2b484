"""SSLyze as a side-by-side peer, run as a separate process from its own virtual environment (it is AGPL-3.0 and
must not be imported into CSM Guard). The environment is made on first use under bench/.cache/."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "bench" / ".cache" / "sslyze-venv"
REQUIREMENT = "sslyze>=6,<7"


def ensure_venv() -> Path:
    """The Python of the SSLyze environment, created and filled with pip on first use."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    if subprocess.run([str(python), "-c", "import sslyze"], capture_output=True, check=False).returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", REQUIREMENT], check=True)
    return python


def run_sslyze(targets: Path, ca_file: Path, out: Path) -> dict[str, object]:
    """Scan the targets with SSLyze's commands for the same checks; wall time, peak RSS, weak servers found."""
    python = ensure_venv()
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.endpoint.measure", str(python), "-m", "sslyze",
                           "--targets_in", str(targets), "--json_out", str(out),
                           "--certinfo_ca_file", str(ca_file), "--quiet", "--mozilla_config", "disable",
                           # the same ground as CSM Guard: versions with their suites, certificate, HSTS
                           "--certinfo", "--sslv2", "--sslv3", "--tlsv1", "--tlsv1_1", "--tlsv1_2", "--tlsv1_3",
                           "--elliptic_curves", "--http_headers"],
                          capture_output=True, text=True, check=False, cwd=ROOT)
    wall = time.perf_counter() - t0
    code, peak = (int(x) for x in done.stdout.strip().splitlines()[-1].split())
    data = json.loads(out.read_text(encoding="utf-8"))
    non_aead: set[str] = set()
    no_hsts: set[str] = set()
    for server in data["server_scan_results"]:
        location = server["server_location"]
        name = f"https://{location['hostname']}:{location['port']}"
        result = server.get("scan_result") or {}
        accepted = []
        for key in ("tls_1_0_cipher_suites", "tls_1_1_cipher_suites", "tls_1_2_cipher_suites"):
            block = (result.get(key) or {}).get("result") or {}
            accepted += [c["cipher_suite"]["name"] for c in block.get("accepted_cipher_suites", [])]
        if any("_CBC_" in suite or "_RC4_" in suite or "3DES" in suite for suite in accepted):
            non_aead.add(name)
        headers = (result.get("http_headers") or {}).get("result") or {}
        if headers and headers.get("strict_transport_security_header") is None:
            no_hsts.add(name)
    return {"wall_seconds": round(wall, 2), "peak_rss_mib": round(peak / 1024, 1), "exit_code": code,
            "weak_cipher": non_aead, "no_hsts": no_hsts}
