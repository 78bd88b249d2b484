"""The events worth a notification, each with a stable key (so that it is sent once per user and channel):
a requirement whose status got worse between the two latest assessments, a duty that is due soon or overdue, and a
privacy-policy version awaiting review."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from csmguard.assessment.diff import AssessmentDiff
from csmguard.assessment.model import STATUS_LABELS, ComplianceStatus
from csmguard.domain import LocalizedText, text
from csmguard.duties.model import Duty, DutyState


class EventKind(StrEnum):
    """What an event is about (a user chooses which kinds to hear of)."""

    STATUS_WORSE = "status_worse"
    DEADLINE = "deadline"
    PRIVACY = "privacy"


# How bad a status is, for "got worse": not applicable and compliant are fine, not assessed has lost its basis,
# partial and non-compliant are gaps.
_BADNESS: dict[ComplianceStatus | None, int] = {
    None: 0, ComplianceStatus.COMPLIANT: 0, ComplianceStatus.NOT_APPLICABLE: 0, ComplianceStatus.NOT_ASSESSED: 1,
    ComplianceStatus.PARTIALLY_COMPLIANT: 2, ComplianceStatus.NON_COMPLIANT: 3,
}


@dataclass(frozen=True)
class Event:
    """One notification-worthy event: its key, kind, title and body in both languages, and a page to open."""

    key: str
    kind: EventKind
    title: LocalizedText
    body: LocalizedText
    link: str
    requirement: str | None = None

    def payload(self) -> dict[str, Any]:
        """The event as stored in the outbox and sent as generic JSON."""
        return {"key": self.key, "kind": self.kind.value, "title": self.title.as_dict(), "body": self.body.as_dict(),
                "link": self.link, "requirement": self.requirement}

    @classmethod
    def from_payload(cls, data: dict[str, Any]) -> Event:
        """The event back from its stored payload."""
        return cls(key=str(data["key"]), kind=EventKind(data["kind"]),
                   title=LocalizedText.model_validate(data["title"]),
                   body=LocalizedText.model_validate(data["body"]), link=str(data["link"]),
                   requirement=data.get("requirement"))


def _status(value: ComplianceStatus | None) -> LocalizedText:
    return STATUS_LABELS[value] if value is not None else text("（無）", "(none)")


def status_worse_events(newer_id: str, diff: AssessmentDiff) -> Iterator[Event]:
    """A requirement whose status in the newer assessment ``newer_id`` is worse than in the one before."""
    for change in diff.changes:
        if _BADNESS[change.after] <= _BADNESS[change.before]:
            continue
        before, after = _status(change.before), _status(change.after)
        yield Event(f"status_worse:{newer_id}:{change.id}", EventKind.STATUS_WORSE,
                    text(f"{change.id} 狀態變差：{before.zh_tw} → {after.zh_tw}",
                         f"{change.id} got worse: {before.en} → {after.en}"),
                    text(f"{diff.a_on} 之評估為「{before.zh_tw}」，{diff.b_on} 之評估為「{after.zh_tw}」；"
                         f"新增未解決之發現 {len(change.new_findings)} 項。",
                         f"{before.en} in the assessment of {diff.a_on}, {after.en} in that of {diff.b_on}; "
                         f"{len(change.new_findings)} new open finding(s)."),
                    f"/catalog/{change.id}", change.id)


def deadline_events(duties: Iterable[Duty], today: date, lead_days: int) -> Iterator[Event]:
    """A duty due within ``lead_days`` (once), and once more when it is overdue."""
    for duty in duties:
        state = duty.state(today)
        days = duty.days_left(today)
        if state is DutyState.OVERDUE:
            phase = "overdue"
            title = text(f"已逾期：{duty.title.zh_tw}（{duty.due.isoformat()}）",
                         f"Overdue: {duty.title.en} (due {duty.due.isoformat()})")
        elif days <= lead_days:
            phase = "soon"
            title = text(f"{days} 天後到期：{duty.title.zh_tw}（{duty.due.isoformat()}）",
                         f"Due in {days} days: {duty.title.en} (due {duty.due.isoformat()})")
        else:
            continue
        body = text(f"{duty.detail.zh_tw}。條文 {duty.requirement}；來源 {duty.source}。",
                    f"{duty.detail.en}. Clause {duty.requirement}; source {duty.source}.")
        yield Event(f"deadline:{phase}:{duty.key}", EventKind.DEADLINE, title, body, "/duties", duty.requirement)


@dataclass(frozen=True)
class NewPrivacyVersion:
    """A privacy-policy version kept by ``watch privacy`` whose review is still open."""

    version_id: str
    platform: str
    url: str
    opened_on: date
    words_added: int
    words_removed: int


def privacy_events(versions: Iterable[NewPrivacyVersion]) -> Iterator[Event]:
    """A new privacy-policy version of a platform the firm has an official account on (CSM-11.1)."""
    for v in versions:
        yield Event(f"privacy:{v.version_id}", EventKind.PRIVACY,
                    text(f"{v.platform} 隱私政策有新版本", f"New privacy-policy version on {v.platform}"),
                    text(f"{v.opened_on.isoformat()} 取得之新版本（新增 {v.words_added} 字、刪除 {v.words_removed} 字）"
                         f"待檢視：{v.url}",
                         f"the version fetched on {v.opened_on.isoformat()} ({v.words_added} words added, "
                         f"{v.words_removed} removed) awaits review: {v.url}"),
                    "/duties", "CSM-11.1")
