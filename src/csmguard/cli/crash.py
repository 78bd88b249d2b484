"""The last line of defence of the command line: an exception nothing else handled becomes a short message
naming the file being read where it can be found, a request to report the bug, and exit code 2. The
traceback is printed only when ``CSMGUARD_DEBUG=1``."""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from csmguard.domain import Lang

DEBUG_ENV = "CSMGUARD_DEBUG"
_FILE_ATTRIBUTES = ("filename", "file", "archive", "path")
_FILE_LOCALS = ("path", "file_path", "source_path")


def run_guarded(entry: Callable[[], object]) -> None:
    """Run the command line ``entry``; exits pass through, anything else unexpected exits with code 2."""
    try:
        entry()
    except (SystemExit, KeyboardInterrupt):
        raise
    except Exception as exc:  # the guard exists to catch what nothing else did
        if os.environ.get(DEBUG_ENV, "").strip() not in ("", "0"):
            traceback.print_exc()
        from csmguard.scanning.gate import EXIT_INPUT  # not at start-up: the command line loads lazily

        sys.stderr.write(crash_message(exc, _lang()) + "\n")
        sys.stderr.flush()
        raise SystemExit(EXIT_INPUT) from None


def crash_message(exc: BaseException, lang: Lang) -> str:
    """The message for an unexpected exception: what happened, on which file when known, what to do."""
    from csmguard.domain.i18n import text

    where = culprit_file(exc)
    detail = f"{type(exc).__name__}: {str(exc)[:300]}".rstrip(": ")
    on_file = text(f"（可能在讀取 {where} 時）", f", probably while reading {where}").get(lang) if where else ""
    return text(
        f"錯誤：CSM Guard 內部錯誤{on_file}：{detail}\n"
        f"這是 CSM Guard 的程式缺陷，請附上指令與本訊息回報；設定 {DEBUG_ENV}=1 可顯示完整的追蹤資訊。",
        f"error: internal error in CSM Guard{on_file}: {detail}\n"
        f"This is a bug in CSM Guard: please report it with the command line and this message; "
        f"set {DEBUG_ENV}=1 to see the full traceback.",
    ).get(lang)


def culprit_file(exc: BaseException) -> str | None:
    """The file the failing code was reading, when the exception or a frame of its traceback names one:
    an attribute of the exception (``filename`` of an OSError …), else the innermost local ``path``."""
    for name in _FILE_ATTRIBUTES:
        value = getattr(exc, name, None)
        if isinstance(value, str | Path) and str(value):
            return str(value)
    frames: list[TracebackType] = []
    tb = exc.__traceback__
    while tb is not None:
        frames.append(tb)
        tb = tb.tb_next
    for frame in reversed(frames):
        for name in _FILE_LOCALS:
            value = frame.tb_frame.f_locals.get(name)
            if isinstance(value, Path):
                return str(value)
    return None


def _lang() -> Lang:
    from csmguard.domain import Lang, parse_lang

    try:
        return parse_lang(os.environ.get("CSMGUARD_LANG", Lang.ZH_TW.value))
    except ValueError:
        return Lang.ZH_TW
