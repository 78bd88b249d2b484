"""The exit-code policy shared by every scan: which failing findings make a run fail."""

from __future__ import annotations

from enum import StrEnum

from csmguard.domain import FindingStatus, ScanResult

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2


class FailOn(StrEnum):
    """The weakest requirement level whose failing findings fail the run; ``never`` reports only."""

    SHALL = "shall"
    SHOULD = "should"
    MAY = "may"
    NEVER = "never"


_THRESHOLD = {FailOn.SHALL: 3, FailOn.SHOULD: 2, FailOn.MAY: 1}


def failing_count(result: ScanResult, fail_on: FailOn) -> int:
    """How many failing findings are at or above the ``fail_on`` level."""
    if fail_on is FailOn.NEVER:
        return 0
    threshold = _THRESHOLD[fail_on]
    return sum(
        1 for f in result.findings
        if f.status is FindingStatus.FAIL and (f.level.strength if f.level else 3) >= threshold
    )


def exit_code(result: ScanResult, fail_on: FailOn) -> int:
    """1 when failing findings reach ``fail_on``; else 2 when some input could not be read; else 0."""
    if failing_count(result, fail_on):
        return EXIT_FINDINGS
    if result.errors:
        return EXIT_INPUT
    return EXIT_OK
