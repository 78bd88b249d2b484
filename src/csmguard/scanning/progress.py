"""A progress interface for long scans, so that scanners report progress without knowing the terminal."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Receives progress from a scanner: a total when known, then advances."""

    def start(self, label: str, total: int | None = None) -> None:
        """A new phase begins; ``total`` units of work when known."""

    def advance(self, amount: int = 1) -> None:
        """``amount`` units of work are done."""

    def finish(self) -> None:
        """The phase is over."""


class NoProgress:
    """Progress that shows nothing (``--quiet``, tests, the web app)."""

    def start(self, label: str, total: int | None = None) -> None:
        """Ignore the start of a phase."""

    def advance(self, amount: int = 1) -> None:
        """Ignore an advance."""

    def finish(self) -> None:
        """Ignore the end of a phase."""
