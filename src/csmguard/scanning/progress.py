"""A progress interface for long scans, so that scanners report progress without knowing the terminal."""

from __future__ import annotations

from typing import Protocol

from csmguard.domain import Lang, LocalizedText, text

# The phases scanners name in ``Progress.start`` (a label not listed, such as a file name, is shown as is).
PHASES: dict[str, LocalizedText] = {
    "messages": text("簡訊／推播範本", "message templates"),
    "site": text("官方網站", "website"),
    "endpoints": text("端點檢測", "probing endpoints"),
    "policydoc": text("政策文件", "policy documents"),
    "devices": text("行動裝置", "devices"),
    "iac": text("基礎設施程式碼檔案", "IaC files"),
}


def phase_label(label: str, lang: Lang) -> str:
    """What a progress bar shows for the phase ``label`` in ``lang``."""
    found = PHASES.get(label)
    return label if found is None else found.get(lang)


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
