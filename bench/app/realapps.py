"""Recall on public vulnerable apps' source, csmguard beside mobsfscan: ``python -m bench.app.realapps``.

Reads the labels in ``bench/app/labels/realapps.yaml`` (written by reading the apps' source), exports each
app at the labelled commit from the snapshot under /work/.mirror (``fetch`` it first), runs
``csmguard scan app`` and mobsfscan 1.1 (offline, under ``unshare -rn`` when available) on the same source
folder, and prints per app and in total: labels found by each tool, recall, and the wall time of each run.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

import yaml

from bench.app.__main__ import ensure_venv
from csmguard.services.app_scan import load_app_rules

ROOT = Path(__file__).resolve().parents[2]
LABELS = Path(__file__).with_name("labels") / "realapps.yaml"
MIRROR = Path("/work/.mirror")
WINDOW = 3
# mobsfscan rule IDs not named in our rules' references.mobsf, by the APP family they report.
MOBSF_FAMILIES = {"android_logging": "APP-030", "android_kotlin_logging": "APP-030",
                  "android_shared_pref": "APP-020", "android_kotlin_hardcoded": "APP-003",
                  "hardcoded_password": "APP-003", "hardcoded_secret": "APP-003", "hardcoded_username": "APP-003",
                  "android_webview_debug": "APP-053", "webview_external_storage": "APP-043",
                  "android_webview_ignore_ssl": "APP-015", "android_ssl_pinning": "APP-016",
                  "android_insecure_http": "APP-010", "android_kotlin_insecure_http": "APP-010",
                  "android_prevent_screenshot": "APP-072", "weak_cipher": "APP-022",
                  "android_command_injection": "APP-047",
                  "android_kotlin_webview": "APP-041", "android_webview": "APP-041",
                  "android_kotlin_webview_allow_file_from_url": "APP-042",
                  "android_webview_allow_file_from_url": "APP-042", "android_kotlin_sql_raw_query": "APP-040",
                  "android_kotlin_aes_ecb": "APP-022", "android_kotlin_world_readable": "APP-028",
                  "android_deeplink_to_webview": "APP-043"}


@dataclass(frozen=True)
class Hit:
    """One finding of a tool reduced to what a label is matched on."""

    rule: str
    path: str
    line: int


def export(repo: str, commit: str, root: str, into: Path) -> Path:
    """The folder ``root`` of ``repo`` at ``commit`` written under ``into`` (from the local snapshot)."""
    git_dir = MIRROR / repo.replace("/", "+") / "repo"
    if not git_dir.exists():
        sys.exit(f"no snapshot of {repo} under {MIRROR}: fetch it first")
    data = subprocess.run(["git", "--git-dir", str(git_dir), "archive", "--format=tar", commit, "--", root],
                          check=True, capture_output=True).stdout
    target = into / repo.replace("/", "+")
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(target, filter="data")
    return target


def ours(folder: Path) -> tuple[list[Hit], float]:
    """csmguard's located failing findings on ``folder`` and the wall time of the command."""
    start = time.perf_counter()
    cli = str(Path(sys.executable).with_name("csmguard"))
    proc = subprocess.run([cli, "scan", "app", str(folder), "-q", "-f", "json", "--fail-on", "never"],
                          capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    data = json.loads(proc.stdout)
    hits = [Hit(f["rule_id"], f["location"]["path"], int(f["location"]["line"])) for f in data["findings"]
            if f["status"] == "fail" and f["location"].get("path") and f["location"].get("line")]
    return hits, wall


def mobsfscan(folder: Path, families: dict[str, str]) -> tuple[list[Hit], float]:
    """mobsfscan's results on ``folder`` mapped to APP families, and the wall time of the run."""
    exe = ensure_venv("mobsfscan")
    argv = [str(exe), "--json", "-o", str(folder / "mobsfscan.json"), str(folder)]
    if shutil.which("unshare"):
        argv = ["unshare", "-rn", *argv]
    # mobsfscan runs the semgrep installed beside it, so its venv's bin goes first on PATH.
    env = {**os.environ, "PATH": f"{exe.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - start
    data = json.loads((folder / "mobsfscan.json").read_text(encoding="utf-8"))
    fatal = [e for e in data.get("errors") or [] if not (isinstance(e, dict) and e.get("level") == "warn")]
    if fatal:  # semgrep missing, a crash … (a file semgrep parsed only partly is a warning: the run counts)
        sys.exit(f"mobsfscan failed on {folder}: {fatal}")
    hits: list[Hit] = []
    for rule_id, result in (data.get("results") or {}).items():
        family = families.get(rule_id, MOBSF_FAMILIES.get(rule_id, ""))
        for match in result.get("files") or []:
            path = str(Path(match["file_path"]).resolve().relative_to(folder.resolve()))
            hits.append(Hit(family or f"mobsf:{rule_id}", path, int(match["match_lines"][0])))
    unmapped = sorted({h.rule for h in hits if h.rule.startswith("mobsf:")})
    if unmapped:
        print(f"  (mobsfscan results of no APP family, not matched to labels: {', '.join(unmapped)})")
    return hits, wall


def found(label: dict[str, object], hits: list[Hit], root: str) -> bool:
    """Whether a hit of the label's family lies in its file within WINDOW lines."""
    path = f"{root}/{label['path']}"
    line = int(str(label["line"]))
    return any(h.rule == label["rule"] and h.path.endswith(path) and abs(h.line - line) <= WINDOW for h in hits)


def main() -> None:
    """Print recall per app and in total, csmguard beside mobsfscan."""
    spec = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    families = {m: r.id for r in load_app_rules().for_scanner("app") for m in r.references.mobsf}
    totals = {"labels": 0, "csmguard": 0, "mobsfscan": 0}
    with tempfile.TemporaryDirectory() as tmp:
        for app in spec["apps"]:
            tree = export(app["repo"], app["commit"], app["root"], Path(tmp))
            folder = tree / app["root"]
            our_hits, our_wall = ours(folder)
            peer_hits, peer_wall = mobsfscan(folder, families)
            labels = app["labels"]
            ok_ours = [found(lb, [Hit(h.rule, f"{app['root']}/{h.path}", h.line) for h in our_hits], app["root"])
                       for lb in labels]
            ok_peer = [found(lb, [Hit(h.rule, f"{app['root']}/{h.path}", h.line) for h in peer_hits], app["root"])
                       for lb in labels]
            print(f"\n{app['name']} ({app['repo']}@{app['commit'][:10]}): {len(labels)} labels")
            print(f"  {'label':<62} {'csmguard':>9} {'mobsfscan':>10}")
            for lb, a, b in zip(labels, ok_ours, ok_peer, strict=True):
                name = f"{lb['rule']} {Path(str(lb['path'])).name}:{lb['line']}"
                print(f"  {name:<62} {'yes' if a else '-':>9} {'yes' if b else '-':>10}")
            print(f"  recall {sum(ok_ours) / len(labels):.2f} (csmguard, {our_wall:.1f} s)  "
                  f"{sum(ok_peer) / len(labels):.2f} (mobsfscan, {peer_wall:.1f} s)")
            for tool, tool_hits in (("csmguard", our_hits), ("mobsfscan", peer_hits)):
                extra = [h for h in tool_hits if not h.rule.startswith("mobsf:") and not any(
                    found(lb, [Hit(h.rule, f"{app['root']}/{h.path}", h.line)], app["root"]) for lb in labels)]
                print(f"  {tool}: {len(extra)} located findings match no label (to review: labels cover code-level "
                      f"weaknesses only): " + ", ".join(f"{h.rule} {Path(h.path).name}:{h.line}" for h in extra[:12]))
            totals["labels"] += len(labels)
            totals["csmguard"] += sum(ok_ours)
            totals["mobsfscan"] += sum(ok_peer)
    n = totals["labels"]
    print(f"\nall apps: {n} labels; recall csmguard {totals['csmguard'] / n:.2f}, "
          f"mobsfscan {totals['mobsfscan'] / n:.2f}")


if __name__ == "__main__":
    main()
