"""Which frontend lowers which kind of source file into the program model."""

from __future__ import annotations

from collections.abc import Callable

from csmguard.scanners.app.lower.base import Triggers
from csmguard.scanners.app.lower.java import lower_java
from csmguard.scanners.app.lower.kotlin import lower_kotlin
from csmguard.scanners.app.program import ProgramFile

Frontend = Callable[[str, bytes, Triggers | None], ProgramFile]

FRONTENDS: dict[str, Frontend] = {
    "java": lower_java,
    "kotlin": lower_kotlin,
}


def lower_unit(kind: str, path: str, text: str, triggers: Triggers | None = None) -> ProgramFile | None:
    """The program model of a source text of ``kind`` (``None`` when no frontend reads that kind).

    With ``triggers``, the methods of a class whose text holds none of them are left out (its fields are
    kept, for constants other classes read): no check could find anything there.

    Raises :class:`~csmguard.scanning.budget.BudgetExceeded` for a file beyond the lowering budget.
    """
    frontend = FRONTENDS.get(kind)
    if frontend is None:
        return None
    return frontend(path, text.encode("utf-8", "surrogatepass"), triggers)
