"""Duties computed from what the workspace records besides the registers: exceptions that expire, endpoint
certificates that expire (from the current findings of the certificate-validity rule), and privacy-policy
changes awaiting review (from ``watch privacy``). Pure functions of plain records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from csmguard.domain import text
from csmguard.duties.model import Duty, DutyKind


@dataclass(frozen=True)
class ExpiringException:
    """An exception (compensating control) and its expiry."""

    id: str
    requirement: str
    expires_on: date


@dataclass(frozen=True)
class Certificate:
    """An endpoint certificate seen by a recorded scan: its endpoint, expiry and the provision its rule tests."""

    scan_id: str
    target: str
    not_after: date
    requirement: str


@dataclass(frozen=True)
class OpenPrivacyReview:
    """A privacy-policy version ``watch privacy`` kept, whose review is still open."""

    id: str
    platform: str
    opened_on: date


def exception_expiries(exceptions: Iterable[ExpiringException]) -> Iterator[Duty]:
    """CSM-4.1: each requirement's latest exception is renewed or withdrawn by its expiry (an exception replaced
    by a later-expiring one for the same requirement is no longer a duty)."""
    latest: dict[str, ExpiringException] = {}
    for exc in exceptions:
        known = latest.get(exc.requirement)
        if known is None or exc.expires_on > known.expires_on:
            latest[exc.requirement] = exc
    for exc in latest.values():
        yield Duty(DutyKind.EXCEPTION_EXPIRY, exc.expires_on, exc.requirement, f"exception/{exc.id}",
                   text(f"{exc.requirement} 之例外到期", f"Exception for {exc.requirement} expires"),
                   text("到期前重新核准或撤銷，並檢視補償性措施", "re-approve or withdraw it before it expires and "
                        "review the compensating controls"), "record")


def certificate_expiries(certificates: Iterable[Certificate]) -> Iterator[Duty]:
    """Each endpoint certificate a current scan saw expires on its notAfter date (the provision of the
    certificate-validity rule, CSM-5.3)."""
    for cert in certificates:
        yield Duty(DutyKind.CERTIFICATE_EXPIRY, cert.not_after, cert.requirement,
                   f"scan/{cert.scan_id}/{cert.target}",
                   text(f"更新 {cert.target} 之憑證", f"Renew the certificate of {cert.target}"),
                   text(f"憑證有效期限至 {cert.not_after.isoformat()}",
                        f"the certificate is valid until {cert.not_after.isoformat()}"), "record")


def privacy_change_reviews(reviews: Iterable[OpenPrivacyReview], review_days: int) -> Iterator[Duty]:
    """CSM-11.1: a changed (or first-seen) platform privacy policy is reviewed within the firm's days."""
    for review in reviews:
        yield Duty(DutyKind.PRIVACY_REVIEW, review.opened_on + timedelta(days=review_days), "CSM-11.1",
                   f"privacy-review/{review.id}",
                   text(f"檢視 {review.platform} 隱私政策之異動", f"Review the change of {review.platform}'s privacy "
                        "policy"),
                   text(f"{review.opened_on.isoformat()} 偵測到新版本，{review_days} 天內檢視",
                        f"new version found on {review.opened_on.isoformat()}, review within {review_days} days"),
                   "setting:social.privacy_change_review_days")
