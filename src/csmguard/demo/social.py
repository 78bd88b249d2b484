"""The social media part of the demo (CSM-11): the official-account check on saved profile pages and
the privacy-policy watch against copies of the platforms' policies served by the demo on 127.0.0.1.

Inputs (copied to the workspace's ``inputs/social/``): ``profiles/<platform>/<handle>.html`` (the
saved profile pages: Facebook's complete, LINE's without a contact), ``privacy/<platform>.html`` (the
policies as first fetched) and ``privacy-update/`` (the pages that replace them before the second
fetch). Only inside the demo do the official accounts' ``privacy_policy_url`` point at these
loopback pages; the real platforms' pages are never fetched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from csmguard.demo.scans import serve_folder
from csmguard.domain import ScanResult
from csmguard.domain.errors import InputError
from csmguard.services.registers import update_record
from csmguard.services.social import WatchOutcome, official_accounts, review_privacy, social_check, watch_privacy
from csmguard.social.worddiff import tokens
from csmguard.workspace import Workspace

PROFILES = "profiles"
PRIVACY = "privacy"
PRIVACY_UPDATE = "privacy-update"
REVIEWED_FIRST = "facebook"  # the platform whose first version the firm reviewed before its policy changed
REVIEWER = "林公關"


@dataclass(frozen=True)
class SocialDemo:
    """The official-account check (to record) and the outcomes of the two privacy-policy fetches."""

    result: ScanResult
    first: tuple[WatchOutcome, ...]
    second: tuple[WatchOutcome, ...]
    reviewed: int

    def describe(self) -> str:
        """Lines for the demo's list of checks: the account check, then the two privacy-policy fetches."""
        failing = sum(1 for f in self.result.findings if f.failing)
        second = "; ".join(_outcome(o) for o in self.second)
        return (f"{len(self.result.findings)} findings, {failing} failing\n"
                f"    privacy watch: {len(self.first)} policies fetched, {REVIEWED_FIRST}'s reviewed\n"
                f"    fetched again: {second}")


def _outcome(outcome: WatchOutcome) -> str:
    if outcome.state == "changed":
        added = sum(len(tokens(c.added)) for c in outcome.changes)
        removed = sum(len(tokens(c.removed)) for c in outcome.changes)
        return f"{outcome.platform} changed (+{added}/−{removed} words, review pending)"
    return f"{outcome.platform} {outcome.state}"


def _failed(outcomes: list[WatchOutcome]) -> None:
    errors = [o for o in outcomes if o.state == "error"]
    if errors:
        raise InputError("privacy watch", "; ".join(f"{o.platform}: {o.error}" for o in errors))


def run_social(ws: Workspace, inputs: Path, today: date) -> SocialDemo:
    """Point the official accounts at the served policy copies, fetch them, record the review of one,
    change its served page and fetch again (a change now awaits review), then check the accounts on
    their saved profile pages. InputError when a fetch fails."""
    folder = inputs / "social"
    site = folder / PRIVACY
    with serve_folder(site) as base:
        for account in official_accounts(ws):
            update_record(ws, "social-accounts", account.key(),
                          {"privacy_policy_url": f"{base}{account.platform.lower()}.html"})
        first = watch_privacy(ws, allow_private=True, timeout=10.0, today=today)
        _failed(first)
        reviewed = review_privacy(ws, REVIEWED_FIRST, REVIEWER, notes="已閱讀並向資安長報告", today=today)
        for page in sorted((folder / PRIVACY_UPDATE).iterdir()):
            shutil.copyfile(page, site / page.name)
        second = watch_privacy(ws, allow_private=True, timeout=10.0, today=today)
        _failed(second)
    result = social_check(ws, profile_pages=folder / PROFILES, today=today)
    return SocialDemo(result, tuple(first), tuple(second), reviewed)
