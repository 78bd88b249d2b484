"""Assembles the smali sources of this folder into DEX files with smali (Debian's libsmali-java, installed by
the Makefile) and packs them into an APK-shaped zip, so the DEX tests read bytes made by the Android tool
chain from sources written for these tests."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path

from tests.scanners.app.dexdiff.zoo import zoo_smali

HERE = Path(__file__).parent / "smali"
SMALI_JAR = Path("/usr/share/java/smali.jar")


def assemble(sources: list[Path], out: Path) -> Path:
    """``smali assemble`` of ``sources`` into ``out`` (an error names the failing source)."""
    if not SMALI_JAR.is_file():
        raise RuntimeError(f"{SMALI_JAR} is missing: run `make setup` (it installs Debian's libsmali-java)")
    done = subprocess.run(["java", "-jar", str(SMALI_JAR), "assemble", "--api", "26", "-o", str(out),
                           *map(str, sources)], capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"smali failed on {[s.name for s in sources]}: {done.stderr.strip()[-2000:]}")
    return out


def build_all(folder: Path) -> dict[str, Path]:
    """``main.dex``, ``second.dex``, ``zoo.dex`` and ``vault.apk`` (classes.dex + classes2.dex) in ``folder``."""
    zoo_source = folder / "Zoo.smali"
    zoo_source.write_text(zoo_smali(), encoding="utf-8")
    built = {
        "main": assemble(sorted((HERE / "main").glob("*.smali")), folder / "main.dex"),
        "second": assemble(sorted((HERE / "second").glob("*.smali")), folder / "second.dex"),
        "zoo": assemble([zoo_source], folder / "zoo.dex"),
    }
    apk = folder / "vault.apk"
    with zipfile.ZipFile(apk, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(built["main"], "classes.dex")
        zf.write(built["second"], "classes2.dex")
    built["apk"] = apk
    return built
