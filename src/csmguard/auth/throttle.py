"""Log-in throttling and the tally of failed log-ins, kept in the server process.

``LoginThrottle`` slows guessing per client (IP address) and per submitted account name, whether the
account exists or not: a few free failures in a window, then an exponentially growing wait (OWASP ASVS
2.2.1). ``FailureTally`` turns failed attempts into a bounded number of audit entries: the first failure of
an (account, client) pair in a window is written at once, the rest are counted and written as one summary
when the window ends, so an unauthenticated client cannot write unbounded audit rows.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

UNKNOWN_ACCOUNT = "(unknown)"  # the tally's account for names that match no account (never the name typed)


@dataclass(frozen=True)
class ThrottleRule:
    """Failures allowed in ``window`` before waits begin; each later failure doubles the wait (from
    ``first_wait_seconds``, at most ``max_wait_seconds``)."""

    free_failures: int
    window: timedelta
    first_wait_seconds: float = 1.0
    max_wait_seconds: float = 300.0

    def wait_after(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures in the window."""
        over = failures - self.free_failures
        if over < 0:
            return 0.0
        return float(min(self.first_wait_seconds * 2.0 ** min(over, 30), self.max_wait_seconds))


@dataclass
class _Count:
    window_start: datetime
    failures: int
    last_failure: datetime


class _Counts:
    """Failures per key within a window, bounded in keys (the oldest go first)."""

    def __init__(self, window: timedelta, max_keys: int) -> None:
        self.window = window
        self.max_keys = max_keys
        self.items: OrderedDict[str, _Count] = OrderedDict()

    def live(self, key: str, now: datetime) -> _Count | None:
        count = self.items.get(key)
        if count is not None and now - count.window_start >= self.window:
            del self.items[key]
            return None
        return count

    def add(self, key: str, now: datetime) -> _Count:
        count = self.live(key, now)
        if count is None:
            count = self.items[key] = _Count(now, 0, now)
        count.failures += 1
        count.last_failure = now
        self.items.move_to_end(key)
        while len(self.items) > self.max_keys:
            self.items.popitem(last=False)
        return count


class LoginThrottle:
    """Per-client and per-account back-off; thread-safe."""

    def __init__(self, client_rule: ThrottleRule, account_rule: ThrottleRule, max_keys: int = 20_000) -> None:
        self.client_rule = client_rule
        self.account_rule = account_rule
        self._clients = _Counts(client_rule.window, max_keys)
        self._accounts = _Counts(account_rule.window, max_keys)
        self._lock = threading.Lock()

    @staticmethod
    def account_key(username: str) -> str:
        """The key of a submitted account name (case-insensitive, like log-in)."""
        return username.strip().lower()[:200]

    def retry_after(self, client: str, username: str, now: datetime) -> float:
        """Seconds until this client may try this account name again (0: now)."""
        waits = [0.0]
        with self._lock:
            for counts, rule, key in ((self._clients, self.client_rule, client),
                                      (self._accounts, self.account_rule, self.account_key(username))):
                count = counts.live(key, now)
                if count is not None:
                    ready = count.last_failure + timedelta(seconds=rule.wait_after(count.failures))
                    waits.append((ready - now).total_seconds())
        return max(waits)

    def failed(self, client: str, username: str, now: datetime) -> None:
        """Count a failed attempt against the client and the account name."""
        with self._lock:
            self._clients.add(client, now)
            self._accounts.add(self.account_key(username), now)

    def succeeded(self, username: str) -> None:
        """A successful log-in clears the account name's failures (the client's stay)."""
        with self._lock:
            self._accounts.items.pop(self.account_key(username), None)


@dataclass(frozen=True)
class FailureSummary:
    """Failed log-ins of one account (or ``UNKNOWN_ACCOUNT``) from one client in one window."""

    account: str
    client: str
    window_start: datetime
    window_end: datetime
    failures: int
    first: bool  # True: the first failure of the window, written at once; False: the window's total


class FailureTally:
    """Which failed log-ins to write to the audit trail; thread-safe, bounded in pairs tracked."""

    def __init__(self, window: timedelta, max_pairs: int = 20_000) -> None:
        self.window = window
        self.max_pairs = max_pairs
        self._pairs: OrderedDict[tuple[str, str], _Count] = OrderedDict()
        self._lock = threading.Lock()

    def failed(self, account: str, client: str, now: datetime) -> list[FailureSummary]:
        """Count a failure; the entries to write now: closed windows' totals, and this failure when it is
        the first of its pair's window."""
        with self._lock:
            due = self._close(now)
            key = (account, client)
            count = self._pairs.get(key)
            if count is None:
                count = self._pairs[key] = _Count(now, 0, now)
                due.append(FailureSummary(account, client, now, now + self.window, 1, True))
            count.failures += 1
            count.last_failure = now
            while len(self._pairs) > self.max_pairs:  # the oldest window is closed early, never lost
                (old_account, old_client), old = self._pairs.popitem(last=False)
                due.extend(self._summary(old_account, old_client, old))
            return due

    def due(self, now: datetime) -> list[FailureSummary]:
        """The totals of windows that have ended (for a periodic flush)."""
        with self._lock:
            return self._close(now)

    def drain(self) -> list[FailureSummary]:
        """Every open window's total, ended now (at shut-down)."""
        with self._lock:
            pairs, self._pairs = self._pairs, OrderedDict()
        return [summary for (account, client), count in pairs.items()
                for summary in self._summary(account, client, count)]

    def _close(self, now: datetime) -> list[FailureSummary]:
        closed = [key for key, count in self._pairs.items() if now - count.window_start >= self.window]
        due: list[FailureSummary] = []
        for key in closed:
            due.extend(self._summary(key[0], key[1], self._pairs.pop(key)))
        return due

    def _summary(self, account: str, client: str, count: _Count) -> list[FailureSummary]:
        if count.failures <= 1:  # the first failure was written already; nothing more to say
            return []
        return [FailureSummary(account, client, count.window_start, count.window_start + self.window,
                               count.failures, False)]
