"""Coverage-guided fuzzing with atheris (libFuzzer) of the same readers as the Hypothesis harnesses:
``python -m tests.fuzz.atheris_main TARGET [libFuzzer options, e.g. -runs=100000 -max_total_time=60]``.

Targets: axml, dex, plist, hcl, yaml, iac-json, mdm-json, html. libFuzzer starts from the valid seeds of the
Hypothesis harnesses (written to a temporary corpus folder). Each target feeds the bytes to the reader
and lets through only the reader's own errors; anything else is a crash libFuzzer reports with the input
that caused it (add that input to the matching Hypothesis harness as an ``@example``). Run by ``make fuzz``
when atheris is installed (``pip install -e '.[fuzz]'``); not collected by pytest."""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import atheris  # type: ignore[import-not-found]

with atheris.instrument_imports():
    import yaml

    from csmguard.domain import ScanError
    from csmguard.scanners.app.axml import AxmlError, parse_axml
    from csmguard.scanners.app.dex import DexError, read_dex
    from csmguard.scanners.fleet.collect_intune import read_graph_json
    from csmguard.scanners.iac.collect import yaml_resources
    from csmguard.scanners.iac.collect_documents import NotIac, json_resources
    from csmguard.scanners.iac.collect_terraform import TerraformReader
    from csmguard.scanners.site.parse import parse_page
    from csmguard.scanners.site.platforms import load_platforms
    from csmguard.scanning.budget import BudgetExceeded
    from csmguard.scanning.safexml import XmlRefused, load_plist

_PLATFORMS = load_platforms()
_TEXT_ERRORS = (NotIac, yaml.YAMLError, BudgetExceeded)


def _axml(data: bytes) -> None:
    with contextlib.suppress(AxmlError):
        parse_axml(data)


def _dex(data: bytes) -> None:
    with contextlib.suppress(DexError):
        read_dex(data, "classes.dex")


def _plist(data: bytes) -> None:
    with contextlib.suppress(XmlRefused):
        load_plist(data)


def _hcl(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "main.tf").write_bytes(data)
        reader = TerraformReader(display=lambda p: p.name, target=folder)
        parsed = reader.load_dir(Path(folder))
        assert len(parsed) + len(reader.errors) == 1


def _yaml(data: bytes) -> None:
    with contextlib.suppress(_TEXT_ERRORS):
        yaml_resources(data.decode("utf-8", "replace"), "t.yaml")


def _iac_json(data: bytes) -> None:
    with contextlib.suppress(NotIac, ValueError):
        json_resources(data.decode("utf-8", "replace"), "t.json")


def _mdm_json(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "export.json")
        path.write_bytes(data)
        for item in read_graph_json(path):
            assert not isinstance(item, ScanError) or item.message


def _html(data: bytes) -> None:
    parse_page("https://example.com/", 200, 0, data.decode("utf-8", "replace"), _PLATFORMS)


TARGETS: dict[str, Callable[[bytes], None]] = {
    "axml": _axml, "dex": _dex, "plist": _plist, "hcl": _hcl, "yaml": _yaml, "iac-json": _iac_json,
    "mdm-json": _mdm_json, "html": _html,
}


def _seeds(name: str) -> list[bytes]:
    from tests.fuzz import test_fuzz_app, test_fuzz_fleet, test_fuzz_iac, test_fuzz_site

    return {
        "axml": [test_fuzz_app.AXML], "dex": [test_fuzz_app.DEX],
        "plist": [test_fuzz_app.PLIST_BINARY, test_fuzz_app.PLIST_XML], "hcl": [test_fuzz_iac.HCL],
        "yaml": [test_fuzz_iac.CFN, test_fuzz_iac.K8S], "iac-json": [test_fuzz_iac.CFN_JSON],
        "mdm-json": [test_fuzz_fleet.GRAPH], "html": [test_fuzz_site.PAGE],
    }[name]


def main() -> None:
    """Fuzz the target named by the first argument; the other arguments go to libFuzzer."""
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: python -m tests.fuzz.atheris_main {{{','.join(TARGETS)}}} [libFuzzer options]")
    name = sys.argv.pop(1)
    with tempfile.TemporaryDirectory(prefix="csmguard-fuzz-") as corpus:
        for index, seed in enumerate(_seeds(name)):
            Path(corpus, f"seed-{index}").write_bytes(seed)
        atheris.Setup([*sys.argv, corpus], TARGETS[name])
        atheris.Fuzz()


if __name__ == "__main__":
    main()
