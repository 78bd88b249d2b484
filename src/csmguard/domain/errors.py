"""The error raised for bad input: it names the file, and the row and field where known."""

from __future__ import annotations

from pydantic import ValidationError


class InputError(Exception):
    """Input that cannot be used: a malformed file, an unknown ID, a bad field."""

    def __init__(
        self,
        file: str | None,
        message: str,
        *,
        field: str | None = None,
        row: int | None = None,
    ) -> None:
        self.file = file
        self.field = field
        self.row = row
        self.message = message
        super().__init__(self.describe())

    def describe(self) -> str:
        """``file, row N, field F: message`` with the parts that are known."""
        parts = [p for p in (self.file, f"row {self.row}" if self.row is not None else None,
                             f"field {self.field}" if self.field else None) if p]
        return f"{', '.join(parts)}: {self.message}" if parts else self.message


def loc_to_field(loc: tuple[int | str, ...]) -> str:
    """Render a pydantic error location as ``a.b[2].c``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def input_errors_from_validation(file: str | None, error: ValidationError) -> list[InputError]:
    """One :class:`InputError` per problem pydantic found, each naming its field."""
    return [
        InputError(file, str(item["msg"]), field=loc_to_field(tuple(item["loc"])) or None)
        for item in error.errors()
    ]


def input_error_from_validation(file: str | None, error: ValidationError) -> InputError:
    """A single :class:`InputError` for the first problem, listing how many more there are."""
    errors = input_errors_from_validation(file, error)
    first = errors[0]
    if len(errors) > 1:
        first.message += f" (and {len(errors) - 1} more problem(s))"
        first.args = (first.describe(),)
    return first
