"""Scan N loopback HTTPS endpoints in one ``csmguard scan endpoint`` run; report wall time, throughput, peak RSS.

Usage: ``python -m bench.endpoint [--count 500] [--concurrency 50] [--also 100]``. The servers run in their own
process (started here); the scanner runs as the real CLI in a child process whose peak resident memory is read
from ``getrusage``. Every 10th server is planted weak (a CBC suite, no HSTS) and the run checks that exactly
those fail EP-005 and EP-013. No peer: the issue names none for endpoints (sslyze is AGPL and testssl.sh GPL;
either could be added here as a separate process).
"""

from __future__ import annotations

import argparse
import datetime as dt
import ipaddress
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
TARGET_SECONDS = 30.0


def _certs(folder: Path) -> tuple[Path, Path, Path]:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "bench CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    leaf = (x509.CertificateBuilder().subject_name(name).issuer_name(ca_name).public_key(key.public_key())
            .serial_number(2).not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=90))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "leaf.pem", folder / "leaf.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


def _scan(targets: Path, ca: Path, concurrency: int, out: Path) -> tuple[float, float, int]:
    """One ``csmguard scan endpoint`` run: (wall seconds, its peak RSS in MiB, its exit code)."""
    csmguard = str(Path(sys.executable).with_name("csmguard"))
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.endpoint.measure", csmguard, "scan", "endpoint",
                           "--targets-file", str(targets), "--allow-private", "--ca-file", str(ca),
                           "--concurrency", str(concurrency), "--timeout", "10", "-f", "json", "-o", str(out), "-q",
                           "--fail-on", "never"], cwd=ROOT, check=False, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    lines = done.stdout.strip().splitlines()
    exit_code, peak_kib = (int(x) for x in lines[-1].split()) if lines else (done.returncode, 0)
    return wall, peak_kib / 1024, exit_code


def _failing(out: Path, rule: str) -> set[str]:
    data = json.loads(out.read_text(encoding="utf-8"))
    return {f["target"]["id"] for f in data["findings"] if f["rule_id"] == rule and f["status"] == "fail"}


def _peer(ports: list[int], weak_ports: list[int], ca: Path, concurrency: int, folder: Path) -> dict[str, Any]:
    """Our scanner and SSLyze on the same endpoints, one after the other, with the planted-weak recall of each."""
    from bench.endpoint.peer_sslyze import run_sslyze

    targets = folder / "peer-targets.txt"
    targets.write_text("".join(f"127.0.0.1:{p}\n" for p in ports), encoding="utf-8")
    weak = {f"https://127.0.0.1:{p}" for p in weak_ports if p in ports}
    ours_out = folder / "peer-ours.json"
    ours_wall, ours_rss, _ = _scan(targets, ca, concurrency, ours_out)
    theirs = run_sslyze(targets, ca, folder / "peer-sslyze.json")
    return {
        "endpoints": len(ports), "planted_weak": len(weak),
        "ours_seconds": round(ours_wall, 2), "ours_peak_rss_mib": round(ours_rss, 1),
        "ours_found_cipher": len(_failing(ours_out, "EP-005") & weak),
        "ours_found_hsts": len(_failing(ours_out, "EP-013") & weak),
        "sslyze_seconds": theirs["wall_seconds"], "sslyze_peak_rss_mib": theirs["peak_rss_mib"],
        "sslyze_found_cipher": len(theirs["weak_cipher"] & weak),  # type: ignore[operator]
        "sslyze_found_hsts": len(theirs["no_hsts"] & weak),  # type: ignore[operator]
        "speedup": round(float(theirs["wall_seconds"]) / ours_wall, 1),  # type: ignore[arg-type]
    }


def run(count: int, concurrency: int, folder: Path, peer_count: int = 0) -> dict[str, object]:
    """Start ``count`` servers, scan them with the CLI, and return the measurements."""
    ca, cert, key = _certs(folder)
    servers = subprocess.Popen([sys.executable, "-m", "bench.endpoint.servers", "--count", str(count),
                                "--cert", str(cert), "--key", str(key)], cwd=ROOT,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert servers.stdout is not None
        started = json.loads(servers.stdout.readline())
        targets = folder / f"targets-{count}.txt"
        targets.write_text("".join(f"127.0.0.1:{p}\n" for p in started["ports"]), encoding="utf-8")
        out = folder / f"result-{count}.json"
        wall, peak_mib, exit_code = _scan(targets, ca, concurrency, out)
        peer = _peer(started["ports"][:peer_count], started["weak"], ca, concurrency, folder) if peer_count else None
    finally:
        if servers.stdin is not None:
            servers.stdin.close()
        servers.wait(timeout=30)
    data = json.loads(out.read_text(encoding="utf-8"))
    weak = {f"https://127.0.0.1:{p}" for p in started["weak"]}
    failing = {rule: {f["target"]["id"] for f in data["findings"] if f["rule_id"] == rule and f["status"] == "fail"}
               for rule in ("EP-005", "EP-013")}
    other_fails = sorted({f["rule_id"] for f in data["findings"]
                          if f["status"] == "fail" and f["rule_id"] not in failing})
    return {
        "endpoints": count,
        "concurrency": concurrency,
        "exit_code": exit_code,
        "wall_seconds": round(wall, 2),
        "endpoints_per_second": round(count / wall, 1),
        "peak_rss_mib": round(peak_mib, 1),
        "evaluated": data["stats"]["targets_evaluated"],
        "errors": len(data["errors"]),
        "findings": len(data["findings"]),
        "planted_weak": len(weak),
        "planted_found_EP-005": len(failing["EP-005"] & weak),
        "planted_found_EP-013": len(failing["EP-013"] & weak),
        "false_fails": len((failing["EP-005"] | failing["EP-013"]) - weak),
        "other_failing_rules": other_fails,
        "peer": peer,
    }


def main() -> None:
    """Run the benchmark and print a table."""
    parser = argparse.ArgumentParser(prog="python -m bench.endpoint")
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--also", type=int, action="append", default=[],
                        help="Also run with this many endpoints (to see how memory grows).")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--peer-count", type=int, default=0,
                        help="Also scan the first N endpoints with SSLyze (own venv in bench/.cache) and with "
                             "CSM Guard, side by side (e.g. 50; SSLyze takes about 1 s per endpoint here).")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="csmguard-bench-endpoint-") as tmp:
        for count in [*args.also, args.count]:
            sub = Path(tmp) / str(count)
            sub.mkdir()
            rows.append(run(count, args.concurrency, sub, args.peer_count if count == args.count else 0))
    print(f"{'endpoints':>9} {'conc':>5} {'wall s':>7} {'ep/s':>7} {'peak MiB':>9} {'evaluated':>9} {'errors':>6} "
          f"{'weak found':>11} {'false':>5}")
    for row in rows:
        print(f"{row['endpoints']:>9} {row['concurrency']:>5} {row['wall_seconds']:>7} "
              f"{row['endpoints_per_second']:>7} {row['peak_rss_mib']:>9} {row['evaluated']:>9} {row['errors']:>6} "
              f"{row['planted_found_EP-005']}/{row['planted_weak']:<8} {row['false_fails']:>5}")
    final = rows[-1]
    verdict = "meets" if float(str(final["wall_seconds"])) < TARGET_SECONDS else "MISSES"
    print(f"{final['endpoints']} endpoints in {final['wall_seconds']} s: {verdict} the {TARGET_SECONDS:g} s target "
          f"(ratio {float(str(final['wall_seconds'])) / TARGET_SECONDS:.2f} of the budget); "
          f"other failing rules: {final['other_failing_rules'] or 'none'}")
    peer = final.get("peer")
    if isinstance(peer, dict):
        print(f"side by side on {peer['endpoints']} endpoints ({peer['planted_weak']} planted weak): "
              f"CSM Guard {peer['ours_seconds']} s, {peer['ours_peak_rss_mib']} MiB, found CBC "
              f"{peer['ours_found_cipher']}, no-HSTS {peer['ours_found_hsts']} | SSLyze {peer['sslyze_seconds']} s, "
              f"{peer['sslyze_peak_rss_mib']} MiB, found CBC {peer['sslyze_found_cipher']}, no-HSTS "
              f"{peer['sslyze_found_hsts']} | CSM Guard {peer['speedup']}x faster")
    print(json.dumps(rows), file=sys.stderr if os.environ.get("BENCH_JSON_STDERR") else sys.stdout)


if __name__ == "__main__":
    main()
