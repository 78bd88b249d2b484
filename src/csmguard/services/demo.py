"""The demo: a workspace for the fictional 範例證券股份有限公司 with registers (a few gaps planted),
evidence, attestations and exceptions; every available check run; assessed; all five reports written."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import select

from csmguard.catalog.scope import load_profile
from csmguard.demo import firm
from csmguard.demo.scans import DEMO_SCANS, SKIPPED, ScanStepFn
from csmguard.demo.social import SocialDemo, run_social
from csmguard.domain import Lang, ScanResult
from csmguard.domain.errors import InputError
from csmguard.reports import ReportFormat
from csmguard.services import audit
from csmguard.services.assessment import SavedAssessment, run_assessment
from csmguard.services.policy import adopt_practice, confirm_setting
from csmguard.services.registers import add_record, run_register_checks
from csmguard.services.reports import write_reports
from csmguard.services.social import recordable
from csmguard.services.web_accounts import user_view
from csmguard.services.workspace import add_attestation, add_evidence, add_exception, record_scan, set_profile
from csmguard.store.db import session_scope
from csmguard.store.models_web import UserRow
from csmguard.workspace import Workspace, init_workspace, open_workspace

MARKER = ".csmguard-demo"
DEFAULT_DIR = Path("csmguard-demo")

Step = Callable[[str], None]


@dataclass(frozen=True)
class ScanStep:
    """A check run by the demo, or one left out and why."""

    scanner: str
    ran: bool
    detail: str
    result: ScanResult | None = None


@dataclass(frozen=True)
class DemoRun:
    """What the demo built: the workspace folder, the checks run, the assessment and the report files."""

    root: Path
    records: int
    evidence: int
    attestations: int
    exceptions: int
    scans: tuple[ScanStep, ...]
    assessment: SavedAssessment
    reports: dict[ReportFormat, Path] = field(default_factory=dict)
    kept_accounts: tuple[str, ...] = ()  # web accounts carried over from the demo workspace it replaced


# The columns of a web account carried from an earlier demo workspace into the rebuilt one.
ACCOUNT_COLUMNS = ("username", "display_name", "role", "password_hash", "totp_secret", "totp_enabled", "active",
                   "created_at")


def _saved_accounts(folder: Path) -> list[dict[str, Any]]:
    """The web accounts of an earlier demo workspace (re-running the demo must not delete them)."""
    try:
        ws = open_workspace(folder)
    except InputError:
        return []
    try:
        with session_scope(ws.engine()) as session:
            return [{name: getattr(user, name) for name in ACCOUNT_COLUMNS}
                    for user in session.scalars(select(UserRow).order_by(UserRow.id))]
    finally:
        ws.close()


def _restore_accounts(ws: Workspace, accounts: list[dict[str, Any]]) -> None:
    """Put the carried accounts into the rebuilt workspace, each with an audit entry (their sessions and
    API tokens are not carried: log in again, create tokens again)."""
    if not accounts:
        return
    with audit.write_scope(ws.engine()) as session:
        for account in accounts:
            user = UserRow(**account, failed_logins=0)
            session.add(user)
            session.flush()
            audit.append(session, "csmguard demo", "user.carried_over", "user", user.username, None,
                         user_view(user))


def _prepare(folder: Path) -> tuple[Path, list[dict[str, Any]]]:
    """The resolved folder, emptied if it holds an earlier demo, and that demo's web accounts."""
    folder = folder.resolve()
    accounts: list[dict[str, Any]] = []
    if folder.exists():
        if not folder.is_dir():
            raise InputError(str(folder), "exists and is not a folder")
        if (folder / MARKER).exists():
            accounts = _saved_accounts(folder)
            shutil.rmtree(folder)
        elif any(folder.iterdir()):
            raise InputError(str(folder), f"is not empty and is not a demo workspace (no {MARKER}); "
                             "choose another folder with --dir")
    return folder, accounts


def _data_dir() -> Path:
    return Path(str(resources.files("csmguard.demo").joinpath("data")))


def _store_evidence(ws: Workspace, data: Path) -> dict[str, str]:
    hashes: dict[str, str] = {}
    for path in sorted((data / "evidence").iterdir()):
        if path.is_file():
            hashes[path.name] = add_evidence(ws, path).sha256
    return hashes


def _evidence_lookup(hashes: dict[str, str]) -> Callable[[str], str]:
    def lookup(name: str) -> str:
        if name not in hashes:
            raise InputError(name, "demo evidence file is missing from csmguard/demo/data/evidence")
        return hashes[name]
    return lookup


def build_demo(folder: Path = DEFAULT_DIR, *, today: date | None = None, lang: Lang = Lang.ZH_TW,
               step: Step | None = None) -> DemoRun:
    """Build (or rebuild) the demo workspace in ``folder`` and return what was made. A folder that
    exists must be empty or an earlier demo workspace (it is then replaced)."""
    say = step or (lambda _message: None)
    day = today or date.today()
    root, accounts = _prepare(folder)
    data = _data_dir()
    say("workspace")
    root.mkdir(parents=True, exist_ok=True)
    (root / MARKER).write_text("Built by 'csmguard demo'; rebuilt on every run.\n", encoding="utf-8")
    ws = init_workspace(root)
    try:
        _restore_accounts(ws, accounts)
        set_profile(ws, load_profile(data / "profile.yaml"))
        say("evidence")
        hashes = _store_evidence(ws, data)
        lookup = _evidence_lookup(hashes)
        say("registers")
        records = 0
        for kind, rows in firm.registers(day, lookup).items():
            for row in rows:
                add_record(ws, kind, row)
                records += 1
        say("policy")
        confirmed, adopted, officer = firm.policy_decisions()
        decided_at = datetime.combine(day, time(9, 0), tzinfo=UTC)
        for name, value in confirmed:
            confirm_setting(ws, name, officer, value, now=decided_at)
        for rule_id in adopted:
            adopt_practice(ws, rule_id, officer, now=decided_at)
        ws.close()
        ws = open_workspace(root)  # the confirmed values are in csmguard.toml now
        say("attestations")
        attestations = firm.attestations(day)
        for item in attestations:
            add_attestation(ws, **{**item, "evidence": [lookup(name) for name in item["evidence"]]})
        exceptions = firm.exceptions(day)
        for item in exceptions:
            add_exception(ws, **{**item, "evidence": [lookup(name) for name in item["evidence"]]})
        say("checks")
        inputs = root / "inputs"
        shutil.copytree(data / "imports", inputs / "imports")
        scans = [*_import_steps(ws, inputs / "imports", day), _register_step(ws, day)]
        for name, scan in DEMO_SCANS.items():
            shutil.copytree(data / name, inputs / name)
            scans.append(_scan_step(ws, name, scan, inputs, day))
        shutil.copytree(data / "social", inputs / "social")
        scans.append(_social_step(ws, inputs, day))
        scans += [ScanStep(name, False, reason[0] if lang is Lang.ZH_TW else reason[1])
                  for name, reason in SKIPPED.items()]
        say("assessment")
        saved = run_assessment(ws, today=day)
        say("reports")
        reports = write_reports(saved, root / "reports", lang)
    finally:
        ws.close()
    return DemoRun(root=root, records=records, evidence=len(hashes), attestations=len(attestations),
                   exceptions=len(exceptions), scans=tuple(scans), assessment=saved, reports=reports,
                   kept_accounts=tuple(a["username"] for a in accounts))


def _scan_step(ws: Workspace, name: str, scan: ScanStepFn, data: Path, day: date) -> ScanStep:
    try:
        result = scan(data, day)
    except InputError as exc:
        return ScanStep(name, False, exc.describe())
    record_scan(ws, result, subject=f"demo:{name}")
    failing = sum(1 for f in result.findings if f.failing)
    errors = f", {len(result.errors)} errors" if result.errors else ""
    return ScanStep(name, True, f"{len(result.findings)} findings, {failing} failing{errors}", result)


def _social_step(ws: Workspace, inputs: Path, day: date) -> ScanStep:
    try:
        social: SocialDemo = run_social(ws, inputs, day)
    except InputError as exc:
        return ScanStep("social", False, exc.describe())
    record_scan(ws, recordable(social.result), subject="demo:social")
    return ScanStep("social", True, social.describe(), social.result)


# Reports of other tools the demo firm receives or runs: (step name, file, --tool, --release).
DEMO_IMPORTS = (
    ("import:mobsf", "mobsf-example-trade-ios-3.2.0.json", "mobsf", "example-trade-ios@3.2.0"),
    ("import:prowler", "prowler-aws-ocsf.json", "prowler", None),
)


def _import_steps(ws: Workspace, inputs: Path, day: date) -> list[ScanStep]:
    """Import the vendor's MobSF report of the iOS release (its CSM-17.2 vendor evidence) and a Prowler OCSF
    scan of the cloud account, as ``csmguard import findings`` does."""
    from csmguard.importing.convert import unmapped_line
    from csmguard.services.import_findings import import_findings

    steps: list[ScanStep] = []
    for name, file, tool, release in DEMO_IMPORTS:
        try:
            [item] = import_findings(ws, [inputs / file], tool=tool, release=release, today=day,
                                     subject=None if release else f"demo:{name}")
        except InputError as exc:
            steps.append(ScanStep(name, False, exc.describe()))
            continue
        failing = sum(1 for f in item.result.findings if f.failing)
        unmapped = unmapped_line(item.result)
        detail = f"{len(item.result.findings)} findings, {failing} failing" + (f"; {unmapped[1]}" if unmapped else "")
        steps.append(ScanStep(name, True, detail + (f"; {item.release_note}" if item.release_note else ""),
                              item.result))
    return steps


def _register_step(ws: Workspace, day: date) -> ScanStep:
    result = run_register_checks(ws, day)
    failing = sum(1 for f in result.findings if f.failing)
    return ScanStep("register", True, f"{len(result.findings)} findings, {failing} failing", result)
