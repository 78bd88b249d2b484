"""An app scan as the pre-release check of one release (CSM-17.1): the scan is recorded, its JSON kept
as evidence, and the release's record in the app-releases register says whether it passed."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

import orjson

from csmguard.domain import ScanResult
from csmguard.domain.errors import InputError
from csmguard.registers.models import ScanOutcome
from csmguard.services.records import add_evidence, record_scan
from csmguard.services.registers import add_record, get_record, update_record
from csmguard.workspace import Workspace

_RELEASE = re.compile(r"^(?P<app>[^@\s]+)@(?P<version>[^@\s]+)$")


def parse_release(value: str) -> tuple[str, str]:
    """``com.example.trade@2.3.1`` → (app ID, version); InputError naming ``--release`` otherwise."""
    match = _RELEASE.match(value.strip())
    if not match:
        raise InputError(None, f"{value!r}: write the release as APP_ID@VERSION, e.g. com.example.trade@2.3.1",
                         field="--release")
    return match["app"], match["version"]


def record_release_scan(ws: Workspace, result: ScanResult, release: str, *, passed: bool,
                        today: date | None = None) -> str:
    """Record ``result`` as the pre-release scan of ``release`` (APP_ID@VERSION): the scan, its JSON as
    an evidence file, and the release's scan outcome, date and report in the register. The app must be
    in the apps register; the release record is created when missing. Returns the scan ID."""
    app_id, version = parse_release(release)
    try:
        get_record(ws, "apps", app_id)
    except InputError as exc:
        raise InputError("apps", f"app {app_id!r} is not in the apps register; add it first "
                         f"(csmguard register apps add app_id={app_id} name=… platform=…)", field="app_id") from exc
    scan_id = record_scan(ws, result, subject=f"app-release:{app_id}@{version}")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder, f"{app_id}-{version}-prerelease-scan.json")
        report.write_bytes(orjson.dumps(result.to_json_dict(), option=orjson.OPT_INDENT_2))
        evidence = add_evidence(ws, report)
    changes = {
        "scan_outcome": (ScanOutcome.PASSED if passed else ScanOutcome.FAILED).value,
        "scanned_on": (today or date.today()).isoformat(),
        "scan_report": evidence.sha256,
    }
    key = f"{app_id}/{version}"
    try:
        get_record(ws, "app-releases", f"key:{key}")
    except InputError:
        add_record(ws, "app-releases", {"app_id": app_id, "version": version, **changes})
    else:
        update_record(ws, "app-releases", f"key:{key}", changes)
    return scan_id
