"""The sign-off of an assessment as the reports show it: three steps (評估人員／覆核人員／核准人員), each
with who signed and when. Kept by :mod:`csmguard.services.signoff`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from csmguard.domain.i18n import LocalizedText, text


class SignoffStep(StrEnum):
    """The three steps, in order."""

    SUBMITTED = "submitted"
    REVIEWED = "reviewed"
    APPROVED = "approved"


ORDER = (SignoffStep.SUBMITTED, SignoffStep.REVIEWED, SignoffStep.APPROVED)
ROLE_LABELS: dict[SignoffStep, LocalizedText] = {
    SignoffStep.SUBMITTED: text("評估人員", "Prepared by"),
    SignoffStep.REVIEWED: text("覆核人員", "Reviewed by"),
    SignoffStep.APPROVED: text("核准人員", "Approved by"),
}


@dataclass(frozen=True)
class Signature:
    """One signed step: who (user name and display name) and when (aware UTC)."""

    step: SignoffStep
    username: str
    display_name: str
    signed_at: datetime
    note: str | None

    @property
    def role_label(self) -> LocalizedText:
        """評估人員／覆核人員／核准人員 (Prepared / Reviewed / Approved by)."""
        return ROLE_LABELS[self.step]
