"""What the social checks read: official accounts with their saved pages, and privacy-policy review items."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from csmguard.social.profile_page import ProfilePage


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """One official account from the register, with its saved profile page when one was given."""

    platform: str
    handle: str
    url: str | None
    administrators: tuple[str, ...]
    mfa: bool
    content_approval: bool
    page: ProfilePage | None
    page_problem: str | None

    @property
    def key(self) -> str:
        """The account's register key."""
        return f"{self.platform}/{self.handle}"


@dataclass(frozen=True, slots=True)
class PendingReview:
    """A change of a platform's privacy policy that waits for a person's review."""

    platform: str
    url: str
    version_sha256: str
    opened_on: date
    words_added: int
    words_removed: int


@dataclass(frozen=True, slots=True)
class SocialFacts:
    """Everything the social checks judge."""

    accounts: tuple[AccountFacts, ...]
    pending_reviews: tuple[PendingReview, ...]
    watched_platforms: tuple[str, ...]
    today: date
    review_within_days: int
