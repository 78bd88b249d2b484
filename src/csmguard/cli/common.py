"""What every command shares: the language option, writing output, and turning bad input into exit 2."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from csmguard.domain import Lang, parse_lang
from csmguard.domain.errors import InputError
from csmguard.scanning.gate import EXIT_INPUT

T = TypeVar("T")


def _lang_callback(value: str | None) -> Lang:
    if value is None:
        return Lang.ZH_TW
    try:
        return parse_lang(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


LangOption = Annotated[
    Lang,
    typer.Option("--lang", help="Language of the output: zh-TW (default) or en.", parser=_lang_callback,
                 envvar="CSMGUARD_LANG"),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of standard output.", dir_okay=False),
]


def stderr_console() -> Console:
    """A console on standard error, for progress and messages that must not mix with output."""
    return Console(stderr=True, highlight=False)


def emit(content: str | bytes, output: Path | None) -> None:
    """Write ``content`` to ``output`` (created with its folders) or to standard output."""
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            output.write_bytes(content)
        else:
            output.write_text(content, encoding="utf-8")
        return
    if isinstance(content, bytes):
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(content)


def report_input_error(error: InputError) -> None:
    """Print a bad-input error on standard error, in both languages' label."""
    stderr_console().print(f"[bold red]錯誤 error[/]: {error.describe()}", highlight=False, markup=True)


@contextmanager
def input_errors_exit() -> Iterator[None]:
    """Turn an :class:`InputError` raised inside the block into a clear message and exit code 2."""
    try:
        yield
    except InputError as error:
        report_input_error(error)
        raise typer.Exit(EXIT_INPUT) from error


def guarded(func: Callable[[], T]) -> T:
    """Run ``func``; bad input becomes a message and exit code 2."""
    with input_errors_exit():
        return func()
    raise AssertionError("unreachable")  # pragma: no cover
