"""``python -m bench.iac``: generate a Terraform + CloudFormation corpus with planted misconfigurations,
run ``csmguard scan iac`` and Checkov 3 on it in one run, and print wall times, CPU times, the speed ratio
and how many planted misconfigurations each tool finds.

Checkov is installed on first use into its own virtual environment (bench/.cache/checkov-venv), because
it pins its own fork of the HCL parser that clashes with python-hcl2 in ours."""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from bench.iac.generate import Planted, generate

CACHE = Path(__file__).resolve().parents[1] / ".cache"
CHECKOV_VENV = CACHE / "checkov-venv"
CHECKOV_SPEC = "checkov>=3,<4"


def ensure_checkov() -> Path:
    """The checkov executable, installing Checkov 3 into its own venv when missing."""
    exe = CHECKOV_VENV / "bin" / "checkov"
    if not exe.exists():
        print(f"installing {CHECKOV_SPEC} into {CHECKOV_VENV} …", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(CHECKOV_VENV)], check=True)
        subprocess.run([str(CHECKOV_VENV / "bin" / "pip"), "install", "-q", CHECKOV_SPEC], check=True)
    return exe


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, subprocess.CompletedProcess[str]]:
    """Run ``cmd``; return wall seconds, child CPU seconds (user + system) and the completed process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done


def ours_failing(report: dict[str, Any]) -> dict[str, set[str]]:
    """Resource → the IAC rules that fail on it, from ``--format json``."""
    out: dict[str, set[str]] = defaultdict(set)
    for finding in report["findings"]:
        if finding["status"] == "fail":
            out[finding["location"].get("resource", "")].add(finding["rule_id"])
    return out


def checkov_failing(report: Any) -> dict[str, set[str]]:
    """Resource (Terraform address or CloudFormation logical ID) → the Checkov checks that fail on it."""
    out: dict[str, set[str]] = defaultdict(set)
    for part in report if isinstance(report, list) else [report]:
        for check in part.get("results", {}).get("failed_checks", []):
            name = str(check.get("resource", ""))
            if "::" in name:  # CloudFormation: AWS::EC2::Volume.LogicalId
                name = name.rsplit(".", 1)[-1]
            out[name].add(check["check_id"])
    return out


def found(planted: list[Planted], failing: dict[str, set[str]], ids: str) -> dict[str, int]:
    """How many planted misconfigurations of each kind a tool reported with one of its mapped checks."""
    hits: dict[str, int] = defaultdict(int)
    for p in planted:
        wanted = set(getattr(p, ids))
        if wanted & failing.get(p.resource, set()):
            hits[p.kind] += 1
    return hits


def main() -> None:
    """Generate, run both tools, compare."""
    parser = argparse.ArgumentParser(prog="python -m bench.iac", description=__doc__)
    parser.add_argument("--modules", type=int, default=60, help="Terraform folders (17-20 resources each)")
    parser.add_argument("--templates", type=int, default=30, help="CloudFormation templates (6 resources each)")
    parser.add_argument("--skip-checkov", action="store_true", help="only time CSM Guard")
    args = parser.parse_args()

    corpus = CACHE / "iac-corpus"
    shutil.rmtree(corpus, ignore_errors=True)
    resources, planted = generate(corpus, modules=args.modules, templates=args.templates)
    targets = [str(corpus / "terraform"), str(corpus / "cloudformation")]
    print(f"corpus: {resources} resources, {len(planted)} planted misconfigurations in {corpus}")

    bin_dir = Path(sys.executable).parent
    ours_json = CACHE / "iac-ours.json"
    common = [*targets, "--format", "json", "--output", str(ours_json), "--quiet", "--fail-on", "never"]
    runs: dict[str, tuple[float, float]] = {}
    wall, cpu, done = timed([str(bin_dir / "csmguard"), "scan", "iac", *common])
    if done.returncode != 0:
        sys.exit(f"csmguard failed: {done.stderr[-2000:]}")
    runs["csmguard scan iac"] = (wall, cpu)
    wall, cpu, done = timed([sys.executable, "-m", "csmguard.cli.scan_iac", *common])
    runs["python -m csmguard.cli.scan_iac"] = (wall, cpu)
    ours = ours_failing(json.loads(ours_json.read_text(encoding="utf-8")))
    ours_hits = found(planted, ours, "ours")

    checkov_hits: dict[str, int] = {}
    if not args.skip_checkov:
        exe = ensure_checkov()
        env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_NO_OUTPUT_COLOR": "1"}
        wall, cpu, done = timed([str(exe), "-d", str(corpus), "--framework", "terraform", "cloudformation",
                                 "-o", "json", "--quiet", "--compact", "--skip-download"], env=env)
        if done.returncode not in (0, 1):
            sys.exit(f"checkov failed ({done.returncode}): {done.stderr[-2000:]}")
        runs["checkov 3"] = (wall, cpu)
        checkov_hits = found(planted, checkov_failing(json.loads(done.stdout)), "checkov")

    print(f"\n{'tool':34} {'wall s':>8} {'cpu s':>8} {'resources/s':>12}")
    for name, (wall, cpu) in runs.items():
        print(f"{name:34} {wall:8.2f} {cpu:8.2f} {resources / wall:12.1f}")
    if "checkov 3" in runs:
        base_wall, base_cpu = runs["checkov 3"]
        for name in ("csmguard scan iac", "python -m csmguard.cli.scan_iac"):
            wall, cpu = runs[name]
            print(f"ratio checkov / {name}: wall {base_wall / wall:.1f}×, cpu {base_cpu / cpu:.1f}×")

    kinds = sorted({p.kind for p in planted})
    total = defaultdict(int)
    for p in planted:
        total[p.kind] += 1
    print(f"\n{'planted misconfiguration':26} {'planted':>7} {'csmguard':>9} {'checkov':>8}")
    for kind in kinds:
        print(f"{kind:26} {total[kind]:7} {ours_hits.get(kind, 0):9} "
              f"{checkov_hits.get(kind, 0) if checkov_hits or not args.skip_checkov else '-':>8}")
    print(f"{'total':26} {len(planted):7} {sum(ours_hits.values()):9} "
          f"{sum(checkov_hits.values()) if not args.skip_checkov else '-':>8}")


if __name__ == "__main__":
    main()
