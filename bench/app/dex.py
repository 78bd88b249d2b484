"""DEX bytecode benchmark on real APKs: ``python -m bench.app.dex [--skip-androguard]``.

For each APK of the corpus (real builds of the Android toolchain, listed in ``CORPUS`` with where each comes
from; copy them into ``bench/.cache/dex-corpus/``), side by side:

* our reading of every method (``DexImage`` + lowering into located statements) against androguard 4 reading
  the same DEX files and decoding every instruction (each in its own process: wall time, CPU, peak memory);
* agreement with androguard, method by method (opcodes, invoke targets, strings, line tables);
* ``csmguard scan app`` on the whole APK (wall, CPU, peak memory);

then the same scan on a 10 MB release APK made of the corpus's DEX files (multi-dex), and the coverage of the
(requirement, class) pairs that ``scan app`` finds in an app's source by the pairs it finds in the same app's
release APK (Damn Vulnerable Bank: source and APK both public, MIT).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from bench.app.__main__ import CACHE, ROOT, count_findings, scan_phase, timed

CORPUS_DIR = CACHE / "dex-corpus"
# file name → where it comes from (repository, path, licence). The repositories are public; take them from a
# snapshot of each (e.g. `git show HEAD:<path>`).
CORPUS = {
    "UnCrackable-Level1.apk": "OWASP/owasp-mastg Crackmes/Android/Level_01/ (CC BY-SA 4.0)",
    "UnCrackable-Level2.apk": "OWASP/owasp-mastg Crackmes/Android/Level_02/ (CC BY-SA 4.0)",
    "UnCrackable-Level3.apk": "OWASP/owasp-mastg Crackmes/Android/Level_03/ (CC BY-SA 4.0)",
    "r2pay-v0.9.apk": "OWASP/owasp-mastg Crackmes/Android/Level_04/ (CC BY-SA 4.0)",
    "HelloWord-JNI.apk": "OWASP/owasp-mastg Samples/Android/01_HelloWorld-JNI/ (CC BY-SA 4.0)",
    "dvba.apk": "rewanthtammana/Damn-Vulnerable-Bank dvba.apk (MIT)",
    "TestActivity.apk": "androguard/androguard tests/data/APK/ (Apache-2.0)",
    "a2dp.Vol_137.apk": "androguard/androguard tests/data/APK/ (an F-Droid app)",
    "com.teleca.jamendo_35.apk": "androguard/androguard tests/data/APK/",
    "app-prod-debug.apk": "androguard/androguard tests/data/APK/ (multi-dex)",
    "com.example.android.wearable.wear.weardrawers.apk": "androguard/androguard tests/data/APK/ (multi-dex)",
    "hello-world.apk": "androguard/androguard tests/data/APK/",
    "com.test.intent_filter.apk": "androguard/androguard tests/data/APK/",
}
# Damn Vulnerable Bank's app source (DamnVulnerableBank/app/src/main of the same repository), for the coverage.
DVBA_SOURCE = CORPUS_DIR / "dvba-src" / "app" / "src" / "main"

OURS = """
import sys, zipfile
from csmguard.scanners.app.dexcode import DexImage
from csmguard.scanners.app.dextext import bytecode_units
zf = zipfile.ZipFile(sys.argv[1])
methods = 0
for name in zf.namelist():
    if name.startswith("classes") and name.endswith(".dex"):
        errors = []
        dex_text, view = bytecode_units(DexImage(zf.read(name), name), errors)
        methods += dex_text.text.count("\\n") * 0 + len(errors) * 0 + 1
print(methods)
"""
DIFF = """
import json, sys
from pathlib import Path
from tests.scanners.app.dexdiff.compare import dex_files, differences
methods = instructions = 0
problems = []
for name, data in dex_files(Path(sys.argv[1])):
    m, n, p = differences(data, name)
    methods, instructions, problems = methods + m, instructions + n, problems + p
print(json.dumps([methods, instructions, problems]))
"""
THEIRS = """
import logging, sys, zipfile
from loguru import logger
logger.remove()
from androguard.core.dex import DEX
zf = zipfile.ZipFile(sys.argv[1])
count = 0
for name in zf.namelist():
    if name.startswith("classes") and name.endswith(".dex"):
        for method in DEX(zf.read(name)).get_encoded_methods():
            code = method.get_code()
            if code:
                count += sum(1 for _ in code.get_bc().get_instructions())
print(count)
"""


def composite(out: Path, target_mb: float) -> Path:
    """A release-sized multi-dex APK: Damn Vulnerable Bank's manifest and resources, and as many of the corpus's
    DEX files (classes.dex, classes2.dex …) as reach ``target_mb`` megabytes of DEX."""
    dexes: list[bytes] = []
    for name in CORPUS:
        with zipfile.ZipFile(CORPUS_DIR / name) as zf:
            dexes.extend(zf.read(n) for n in sorted(zf.namelist()) if re.fullmatch(r"classes\d*\.dex", n))
    dexes.sort(key=len, reverse=True)
    with zipfile.ZipFile(CORPUS_DIR / "dvba.apk") as base, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in base.infolist():
            if not re.fullmatch(r"classes\d*\.dex", info.filename):
                zf.writestr(info, base.read(info.filename))
        total = 0
        for k, data in enumerate(dexes):
            if total >= target_mb * 1e6:
                break
            zf.writestr("classes.dex" if k == 0 else f"classes{k + 1}.dex", data)
            total += len(data)
    return out


def class_pairs(result: Path, from_apk: bool) -> set[tuple[str, str]]:
    """The (requirement, top-level class) pairs of the failing findings located in a class."""
    data = json.loads(result.read_text(encoding="utf-8"))
    pairs: set[tuple[str, str]] = set()
    for finding in data["findings"]:
        if finding["status"] != "fail":
            continue
        location = finding.get("location") or {}
        if from_apk:
            cls = ((finding.get("evidence") or {}).get("class") or "").split("$", 1)[0] or None
        else:
            match = re.search(r"(?:java|kotlin)/(.+)\.(?:java|kt)$", location.get("path", ""))
            cls = match.group(1).replace("/", ".") if match else None
        if cls:
            pairs.update((req, cls) for req in finding.get("requirements") or ())
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--skip-androguard", action="store_true")
    parser.add_argument("--composite-mb", type=float, default=9.0, help="MB of DEX in the release-sized APK")
    parser.add_argument("--apks", nargs="*", default=None, help="only these APKs of the corpus in the table "
                        "(none: skip the table)")
    args = parser.parse_args()
    missing = [name for name in CORPUS if not (CORPUS_DIR / name).exists()]
    if missing:
        sys.exit(f"copy the corpus into {CORPUS_DIR} first; missing: {', '.join(missing)} "
                 f"(sources: see CORPUS in {__file__})")
    python = str(ROOT / ".venv" / "bin" / "python")
    csmguard = str(ROOT / ".venv" / "bin" / "csmguard")
    sys.path.insert(0, str(ROOT))
    from tests.scanners.app.dexdiff.compare import dex_files

    print(f"{'APK':<34}{'MB':>6}{'methods':>9}{'insns':>9}  {'ours s/CPU/MB':>17}  {'androguard s/CPU/MB':>20}"
          f"  {'scan app s/CPU/MB':>18}  agreement")
    for name in CORPUS if args.apks is None else [n for n in CORPUS if n in args.apks]:
        path = CORPUS_DIR / name
        ours = timed("ours", [python, "-c", OURS, str(path)])
        row = f"{name[:33]:<34}{path.stat().st_size / 1e6:>6.1f}"
        methods = instructions = 0
        problems: list[str] = []
        if not args.skip_androguard:
            theirs = timed("androguard", [python, "-c", THEIRS, str(path)])
            # the comparison runs in a process of its own: a child forked from a large parent would report the
            # parent's memory as its own peak
            agreement = subprocess.run([python, "-c", DIFF, str(path)], capture_output=True, text=True, check=True,
                                       cwd=ROOT)
            methods, instructions, problems = json.loads(agreement.stdout)
        out = CACHE / "app" / f"dex-{name}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        scan = timed("scan", [csmguard, "scan", "app", str(path), "-f", "json", "-q", "-o", str(out),
                              "--fail-on", "never"])
        row += f"{methods:>9}{instructions:>9}  {ours.wall:>6.2f}/{ours.cpu:>5.2f}/{ours.peak_mb:>4.0f}"
        row += (f"  {theirs.wall:>8.2f}/{theirs.cpu:>5.2f}/{theirs.peak_mb:>5.0f}" if not args.skip_androguard
                else f"  {'-':>20}")
        row += f"  {scan.wall:>6.2f}/{scan.cpu:>5.2f}/{scan.peak_mb:>5.0f}"
        row += "  skipped" if args.skip_androguard else (
            "  identical" if not problems else f"  {len(problems)} differences: {problems[0][:120]}")
        print(row, flush=True)

    src_out = CACHE / "app" / "dvba-source.json"
    subprocess.run([csmguard, "scan", "app", str(DVBA_SOURCE), "-f", "json", "-q", "-o", str(src_out),
                    "--fail-on", "never"], check=False)
    apk_out = CACHE / "app" / "dvba-apk.json"
    subprocess.run([csmguard, "scan", "app", str(CORPUS_DIR / "dvba.apk"), "-f", "json", "-q", "-o", str(apk_out),
                    "--fail-on", "never"], check=False)
    source = class_pairs(src_out, from_apk=False)
    apk = class_pairs(apk_out, from_apk=True)
    covered = source & apk
    share = len(covered) / len(source) if source else 0.0
    print(f"\nDamn Vulnerable Bank: {len(source)} (requirement, class) pairs from the source, {len(apk)} from the "
          f"release APK; the APK covers {len(covered)} of the source's = {share:.0%}")
    for pair in sorted(source - apk):
        print(f"  only in the source: {pair}")
    for pair in sorted(apk - source):
        print(f"  only in the APK: {pair}")

    big = composite(CACHE / "app" / "release-sized.apk", args.composite_mb)
    out = CACHE / "app" / "dex-release-sized.json"
    run = timed("scan", [csmguard, "scan", "app", str(big), "-f", "json", "-q", "-o", str(out), "--fail-on", "never"])
    startup = timed("startup", [csmguard, "scan", "app", "--help"])
    dex_mb = sum(len(d) for _, d in dex_files(big)) / 1e6
    print(f"\nRelease-sized APK {big.name}: {big.stat().st_size / 1e6:.1f} MB file, {dex_mb:.1f} MB of DEX in "
          f"{len(dex_files(big))} files: scan app {run.wall:.2f} s wall / {run.cpu:.2f} s CPU (start-up "
          f"{startup.wall:.2f} s; scan phase {scan_phase(out):.2f} s), peak {run.peak_mb:.0f} MB, "
          f"{count_findings(out, 'csmguard')} failing findings")


if __name__ == "__main__":
    main()
