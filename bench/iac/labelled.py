"""``python -m bench.iac.labelled``: recall of CSM Guard beside Checkov on labelled misconfigurations of
public deliberately misconfigured projects (bench/iac/labels.yaml, each source pinned to a commit),
false positives per 100 safe resources, and speed and peak memory of both tools at about 300 and
1,200 generated resources.

Sources are read from local git mirrors (``--mirrors``, one ``owner+name/repo`` git dir per source) and
extracted at the labelled commit into a temporary folder. Checkov runs from its own virtual
environment (``--checkov``; default bench/.cache/checkov-venv, installed on first use)."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from bench.iac.__main__ import CACHE, ensure_checkov
from bench.iac.generate import generate
from csmguard.scanners.iac.collect import collect
from csmguard.scanning.progress import NoProgress

LABELS = Path(__file__).with_name("labels.yaml")
# Not below bench/.cache: Checkov's Kubernetes runner skips files under hidden folders.
WORK = Path(tempfile.gettempdir()) / "csmguard-bench-labelled"
Key = tuple[str, str, str]  # repo, file inside the repo, resource
_SUFFIXES = (".tf", ".tf.json", ".yaml", ".yml", ".json")


def extract(repo: str, commit: str, paths: list[str], mirrors: Path, tfvars: dict[str, str] | None = None) -> Path:
    """The IaC files of ``repo`` at ``commit`` under ``paths``, extracted into the cache; the folder.

    ``tfvars`` maps a path inside the extracted folder to the text of a ``terraform.tfvars`` written there
    (how a project documents turning its findings on, e.g. sadcloud's ``all_findings = true``)."""
    git_dir = mirrors / repo.replace("/", "+") / "repo"
    names = subprocess.run(["git", "--git-dir", str(git_dir), "ls-tree", "-r", "--name-only", commit, "--", *paths],
                           capture_output=True, text=True, check=True).stdout.split("\n")
    wanted = [n for n in names if n.endswith(_SUFFIXES)]
    out = WORK / repo.replace("/", "+")
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    archive = subprocess.run(["git", "--git-dir", str(git_dir), "archive", "--format=tar", commit, "--", *wanted],
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(out, filter="data")
    for relative, text in (tfvars or {}).items():
        (out / relative).write_text(text, encoding="utf-8")
    return out


def _resource(name: str) -> str:
    """A resource name comparable across tools: Terraform indices and module prefixes dropped (the file
    names the module), Kubernetes ``Kind/name``."""
    name = re.sub(r"\[[^\]]*\]", "", name)
    name = re.sub(r"^(module\.[\w-]+\.)+", "", name)  # the file already says which module
    parts = name.split("/")
    return f"{parts[0]}/{parts[-1]}" if len(parts) == 3 else name


def _relative(path: str, root: Path) -> str:
    text = str(Path(path).resolve()) if os.path.isabs(path) else path
    marker = root.name + "/"
    return text.split(marker, 1)[1] if marker in text else text.lstrip("/")


def measured(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """Run ``cmd``; wall seconds, the child's peak memory in MB, and its standard output."""
    start = time.perf_counter()
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env) as proc:
        stdout = proc.stdout.read() if proc.stdout else ""
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = 0
    return time.perf_counter() - start, usage.ru_maxrss / 1024, stdout


def ours(root: Path) -> tuple[dict[Key, set[str]], dict[Key, set[str]], set[Key], float, float]:
    """CSM Guard on one source: failing rules and fail-or-unknown rules by resource, every resource read,
    wall time and peak memory."""
    out = CACHE / "labelled-ours.json"
    wall, mem, _ = measured([str(Path(sys.executable).parent / "csmguard"), "scan", "iac", str(root), "--format",
                             "json", "--output", str(out), "--quiet", "--fail-on", "never"])
    report = json.loads(out.read_text(encoding="utf-8"))
    failing: dict[Key, set[str]] = defaultdict(set)
    flagged: dict[Key, set[str]] = defaultdict(set)
    for f in report["findings"]:
        key = (root.name, _relative(f["location"].get("path", ""), root), _resource(f["location"].get("resource", "")))
        if f["status"] == "fail":
            failing[key].add(f["rule_id"])
        if f["status"] in ("fail", "unknown"):
            flagged[key].add(f["rule_id"])
    facts = collect([root], progress=NoProgress())
    inventory = {(root.name, _relative(r.file, root), _resource(r.address)) for r in facts.resources if not r.is_data}
    return failing, flagged, inventory, wall, mem


def checkov(exe: Path, root: Path, var_files: list[str]) -> tuple[dict[Key, set[str]], float, float]:
    """Checkov on one source (given the same ``terraform.tfvars`` files as CSM Guard reads): failing checks
    by resource, wall time and peak memory."""
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_NO_OUTPUT_COLOR": "1"}
    extra = [arg for name in var_files for arg in ("--var-file", str(root / name))]
    wall, mem, stdout = measured([str(exe), "-d", str(root), "--framework", "terraform", "cloudformation",
                                  "kubernetes", "-o", "json", "--quiet", "--compact", "--skip-download", *extra],
                                 env=env)
    report: Any = json.loads(stdout) if stdout.strip() else []
    failing: dict[Key, set[str]] = defaultdict(set)
    for part in report if isinstance(report, list) else [report]:
        for check in part.get("results", {}).get("failed_checks", []):
            name = str(check.get("resource", ""))
            if "::" in name:  # CloudFormation: AWS::EC2::Volume.LogicalId
                name = name.rsplit(".", 1)[-1]
            elif part.get("check_type") == "kubernetes":  # Kind.namespace.name
                pieces = name.split(".")
                name = f"{pieces[0]}/{pieces[-1]}"
            key = (root.name, _relative(str(check.get("file_path", "")), root), _resource(name))
            failing[key].add(str(check["check_id"]))
    return failing, wall, mem


def recall_table(labels: list[dict[str, Any]], got: dict[str, dict[Key, set[str]]]) -> dict[str, dict[str, float]]:
    """Print each label with what each tool found; return each tool's recall, overall (key ``all``) and by
    labelled set (source repository). On a label with ``scope: undetermined`` (a shortcoming the guideline
    makes a failure only for sensitive data or critical services, on a resource no tag classifies) CSM Guard's
    ``unknown`` counts as found: failing it would assume the scope."""
    found: dict[str, dict[str, int]] = {tool: defaultdict(int) for tool in got}
    total: dict[str, int] = defaultdict(int)
    for label in labels:
        key = (label["repo"].replace("/", "+"), label["file"], label["resource"])
        total["all"] += 1
        total[label["repo"]] += 1
        marks = []
        for tool, failing in got.items():
            ids = set(label["checkov" if tool == "checkov" else "ours"])
            if tool == "csmguard" and label.get("scope") == "undetermined":
                failing = got["csmguard fail|unknown"]  # unknown is the right verdict while no tag says
            hit = bool(ids & failing.get(key, set()))
            found[tool]["all"] += hit
            found[tool][label["repo"]] += hit
            marks.append("x" if hit else ".")
        scope = " (scope undetermined)" if label.get("scope") == "undetermined" else ""
        print(f"  {' '.join(marks)}  {label['requirement']:8} {label['repo'].split('/')[1]}:{label['resource']} — "
              f"{label['issue']}{scope}")
    return {tool: {part: hits[part] / count for part, count in total.items()} for tool, hits in found.items()}


def speed(exe: Path | None, sizes: list[tuple[int, int]]) -> None:
    """Both tools on generated corpora of about 300 and 1,200 resources: wall time, ratio, peak memory
    (CSM Guard through ``csmguard scan iac`` and through the quick entry point ``python -m
    csmguard.cli.scan_iac``, which skips loading the rest of the CLI)."""
    print(f"\n{'resources':>9} {'csmguard s':>10} {'MB':>6} {'quick s':>8} {'MB':>6} {'checkov s':>10} {'MB':>6} "
          f"{'ratio':>6} {'quick':>6}")
    for modules, templates in sizes:
        corpus = CACHE / f"iac-corpus-{modules}"
        shutil.rmtree(corpus, ignore_errors=True)
        count, _ = generate(corpus, modules=modules, templates=templates)
        targets = [str(corpus / "terraform"), str(corpus / "cloudformation")]
        wall, mem, _ = measured([str(Path(sys.executable).parent / "csmguard"), "scan", "iac", *targets, "--format",
                                 "json", "--output", str(CACHE / "speed-ours.json"), "--quiet", "--fail-on", "never"])
        q_wall, q_mem, _ = measured([sys.executable, "-m", "csmguard.cli.scan_iac", *targets, "--format", "json",
                                     "--output", str(CACHE / "speed-quick.json"), "--quiet", "--fail-on", "never"])
        line = f"{count:9} {wall:10.2f} {mem:6.0f} {q_wall:8.2f} {q_mem:6.0f}"
        if exe is not None:
            env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}
            c_wall, c_mem, _ = measured([str(exe), "-d", str(corpus), "--framework", "terraform", "cloudformation",
                                         "-o", "json", "--quiet", "--compact", "--skip-download"], env=env)
            line += f" {c_wall:10.2f} {c_mem:6.0f} {c_wall / wall:5.1f}× {c_wall / q_wall:5.1f}×"
        print(line)


def main() -> None:
    """Extract the labelled sources, run both tools, print recall, false positives, speed and memory."""
    parser = argparse.ArgumentParser(prog="python -m bench.iac.labelled", description=__doc__)
    parser.add_argument("--mirrors", type=Path, default=Path("/work/.mirror"), help="owner+name/repo git dirs")
    parser.add_argument("--checkov", type=Path, help="the checkov executable (default: install into the cache)")
    parser.add_argument("--skip-checkov", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    data = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    exe = None if args.skip_checkov else (args.checkov or ensure_checkov())
    got: dict[str, dict[Key, set[str]]] = {"csmguard": {}, "csmguard fail|unknown": {}}
    if exe is not None:
        got["checkov"] = {}
    inventory: set[Key] = set()
    for repo, source in data["sources"].items():
        tfvars = source.get("tfvars", {})
        root = extract(repo, source["commit"], source["paths"], args.mirrors, tfvars)
        failing, flagged, resources, wall, mem = ours(root)
        got["csmguard"].update(failing)
        got["csmguard fail|unknown"].update(flagged)
        inventory |= resources
        line = f"{repo}@{source['commit'][:10]}: {len(resources)} resources; csmguard {wall:.2f}s {mem:.0f} MB"
        if exe is not None:
            c_failing, c_wall, c_mem = checkov(exe, root, list(tfvars))
            got["checkov"].update(c_failing)
            line += f"; checkov {c_wall:.2f}s {c_mem:.0f} MB"
        print(line)
    labels = data["labels"]
    print(f"\n{len(labels)} labelled misconfigurations ({' '.join(got)}; x = found):")
    recall = recall_table(labels, got)
    labelled = {(lb["repo"].replace("/", "+"), lb["file"], lb["resource"]) for lb in labels}
    safe = inventory - labelled
    mapped = {i for lb in labels for i in lb["checkov"]}
    print(f"\n{'recall':40} " + " ".join(f"{tool:>22}" for tool in recall))
    for part in ["all", *data["sources"]]:
        count = sum(1 for lb in labels if part in ("all", lb["repo"]))
        print(f"{part + f' ({count} labels)':40} "
              + " ".join(f"{recall[tool].get(part, 0.0):22.2f}" for tool in recall))
    ours_fp = sorted(k for k in safe if got["csmguard"].get(k))
    print(f"false positives per 100 safe resources ({len(safe)} safe): csmguard {100 * len(ours_fp) / len(safe):.1f}"
          + (f", checkov (its checks mapped in the labels) "
             f"{100 * sum(1 for k in safe if got['checkov'].get(k, set()) & mapped) / len(safe):.1f}"
             if exe is not None else ""))
    for key in ours_fp:
        print(f"  csmguard fails safe {key[0]}:{key[1]}:{key[2]} ({', '.join(sorted(got['csmguard'][key]))})")
    if not args.skip_speed:
        speed(exe, [(13, 14), (54, 50)])


if __name__ == "__main__":
    main()
