"""Which reader a file needs: the one named by ``--tool``, or with ``auto`` the only format the file has the
shape of. A file that is not of the named format, or of no known format, is an InputError naming the file and
what was expected: never an empty import."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from csmguard.domain.errors import InputError
from csmguard.importing.model import ParsedReport
from csmguard.importing.parsers import asff, checkov, gitleaks, mobsf, mobsfscan, prowler, sarif, trivy
from csmguard.importing.reading import describe_json, load_json, not_format, read_bytes

Reader = tuple[Callable[[Any], bool], Callable[[Any, str], list[ParsedReport]], str]
READERS: dict[str, Reader] = {
    "mobsf": (mobsf.looks_like, mobsf.parse, mobsf.EXPECTED),
    "mobsfscan": (mobsfscan.looks_like, mobsfscan.parse, mobsfscan.EXPECTED),
    "checkov": (checkov.looks_like, checkov.parse, checkov.EXPECTED),
    "prowler": (prowler.looks_like, prowler.parse, prowler.EXPECTED_OCSF),
    "trivy": (trivy.looks_like, trivy.parse, trivy.EXPECTED),
    "gitleaks": (gitleaks.looks_like, gitleaks.parse, gitleaks.EXPECTED),
    "asff": (asff.looks_like, asff.parse, asff.EXPECTED),
    "sarif": (sarif.looks_like, sarif.parse, sarif.EXPECTED),
}
TOOL_CHOICES = ("auto", *READERS)
# Tools whose SARIF output is accepted under their own name.
SARIF_WRITERS = {"checkov", "mobsfscan", "gitleaks", "trivy"}


def _csv(content: bytes, path: Path) -> bool:
    return path.suffix.lower() == ".csv" or content.lstrip()[:1] not in (b"[", b"{")


def read_reports(path: Path, tool: str = "auto") -> tuple[str, list[ParsedReport]]:
    """Read ``path`` as ``tool``'s report (or detect the format); returns the format read and the reports."""
    if tool not in TOOL_CHOICES:
        raise InputError(None, f"unknown tool {tool!r}; use one of {', '.join(TOOL_CHOICES)}", field="--tool")
    content = read_bytes(path)
    source = str(path)
    if tool in ("prowler", "auto") and _csv(content, path):
        if tool == "auto" and path.suffix.lower() != ".csv":
            raise InputError(source, "not JSON and not a .csv file; name the tool with --tool")
        return "prowler-csv", prowler.parse_csv(content, source)
    data = load_json(content, source, "a JSON report" if tool == "auto" else READERS[tool][2])
    if tool == "auto":
        matches = [name for name, (looks, _, _) in READERS.items() if looks(data)]
        if not matches:
            raise InputError(source, f"not a report of any known tool ({', '.join(READERS)}): "
                                     f"{describe_json(data)}; name the tool with --tool if it is one of them")
        if len(matches) > 1:
            raise InputError(source, f"looks like more than one format ({', '.join(matches)}); name it with --tool")
        tool = matches[0]
    elif tool in SARIF_WRITERS and sarif.looks_like(data):
        reports = sarif.parse(data, source)
        wrong = sorted({r.tool for r in reports if r.tool != tool})
        if wrong:
            raise not_format(source, f"{tool}'s SARIF output", f"a SARIF log written by {', '.join(wrong)}")
        return f"{tool}-sarif", reports
    return tool, READERS[tool][1](data, source)
