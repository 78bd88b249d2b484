"""Masking and validation helpers for Taiwanese personal data in messages (CSM-16.2).

Firms can call these from their own notification code so that SMS and push texts never carry a
national ID, phone number, e-mail address, card or account number in full::

    >>> mask_national_id("A123456789")
    'A12****789'
    >>> mask_phone("0912345678")
    '0912-***-678'
    >>> mask_email("alice.chen@example.com")
    'a*********@example.com'
    >>> mask_card("4111 1111 1111 1111")
    '************1111'
    >>> mask_account("01234567890123")
    '**********0123'

The validators tell real identifiers from look-alikes; the message scanner uses them so that a
random ten-character string is not reported as a national ID.
"""

from __future__ import annotations

import re

MASK = "*"
MASK_CHARS = frozenset("*＊●•Xx")

# Letter → two-digit code of the national ID / resident certificate checksum (MOI; see
# /work/shared/domain-notes.md). I, O, W, X, Y, Z are out of alphabetical order on purpose.
_NID_LETTER_CODES: dict[str, int] = {
    "A": 10, "B": 11, "C": 12, "D": 13, "E": 14, "F": 15, "G": 16, "H": 17, "I": 34, "J": 18,
    "K": 19, "L": 20, "M": 21, "N": 22, "O": 35, "P": 23, "Q": 24, "R": 25, "S": 26, "T": 27,
    "U": 28, "V": 29, "W": 32, "X": 30, "Y": 31, "Z": 33,
}
# National ID (second character 1/2), resident certificate since 2021 (8/9), or before 2021 (a second letter
# A-D, of which only the units digit of its code counts in the checksum).
_NID_RE = re.compile(r"^[A-Z][1289A-D][0-9]{8}$")
_UBN_RE = re.compile(r"^[0-9]{8}$")
_UBN_WEIGHTS = (1, 2, 1, 2, 1, 2, 4, 1)
_SEPARATORS = re.compile(r"[\s\-]")


def validate_national_id(value: str) -> bool:
    """Whether ``value`` is a valid national ID or resident certificate number (統一證號), of any prefix letter.

    A letter, then 1/2 (national ID), 8/9 (resident certificate since 2021) or a letter A-D (resident
    certificate issued before 2021), then eight digits, with the MOI checksum: the first letter's two digits
    weighted 1 and 9, the second character (for a letter: the units digit of its code) and the next seven
    digits weighted 8…1, plus the check digit, must be divisible by 10. Lower-case letters are accepted.
    """
    candidate = value.strip().upper()
    if not _NID_RE.match(candidate):
        return False
    code = _NID_LETTER_CODES[candidate[0]]
    total = (code // 10) + (code % 10) * 9
    second = candidate[1]
    total += 8 * (_NID_LETTER_CODES[second] % 10 if second.isalpha() else int(second))
    for weight, digit in zip(range(7, 0, -1), candidate[2:9], strict=True):
        total += weight * int(digit)
    total += int(candidate[9])
    return total % 10 == 0


def national_id_subtype(value: str) -> str:
    """``national_id``, ``resident_certificate`` (since 2021, 8/9) or ``resident_certificate_old`` (A-D) by the
    second character of a number that :func:`validate_national_id` accepts."""
    second = value.strip().upper()[1:2]
    if second in ("8", "9"):
        return "resident_certificate"
    if second.isalpha():
        return "resident_certificate_old"
    return "national_id"


def validate_ubn(value: str, *, since_2023: bool = True) -> bool:
    """Whether ``value`` is a valid unified business number (統一編號).

    Weights 1,2,1,2,1,2,4,1; the digits of each product are added. The sum must be divisible by 5
    (by 10 for numbers issued under the pre-2023 rule, ``since_2023=False``); when the seventh digit
    is 7 the product 28 counts as either 10 or 1, so sum+1 is also accepted.
    """
    candidate = value.strip()
    if not _UBN_RE.match(candidate):
        return False
    total = 0
    for weight, digit in zip(_UBN_WEIGHTS, candidate, strict=True):
        product = weight * int(digit)
        total += product // 10 + product % 10
    divisor = 5 if since_2023 else 10
    if total % divisor == 0:
        return True
    return candidate[6] == "7" and (total + 1) % divisor == 0


def luhn_valid(number: str) -> bool:
    """Whether the digits of ``number`` (spaces and dashes ignored) pass the Luhn check of card numbers."""
    digits = _SEPARATORS.sub("", number)
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        digit = int(char)
        if index % 2 == 1:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return total % 10 == 0


def is_masked(value: str) -> bool:
    """Whether ``value`` contains a mask character (``*``, ``＊``, ``●``, ``•``, ``X`` or ``x``)."""
    return any(char in MASK_CHARS for char in value)


def mask_national_id(value: str) -> str:
    """``A123456789`` → ``A12****789``: the letter and two digits, four masks, the last three digits."""
    candidate = value.strip()
    if len(candidate) < 10:
        return _mask_all_but(candidate, 0, 0)
    return f"{candidate[:3]}{MASK * (len(candidate) - 6)}{candidate[-3:]}"


def mask_phone(value: str) -> str:
    """``0912345678`` → ``0912-***-678``; ``+886912345678`` → ``+886 912-***-678``; other numbers keep the last 3."""
    digits = re.sub(r"[^0-9]", "", value)
    if len(digits) == 10 and digits.startswith("09"):
        return f"{digits[:4]}-{MASK * 3}-{digits[-3:]}"
    if len(digits) == 12 and digits.startswith("8869"):
        return f"+886 {digits[3:6]}-{MASK * 3}-{digits[-3:]}"
    return _mask_all_but(digits, 0, 3)


def mask_email(value: str) -> str:
    """``alice@example.com`` → ``a****@example.com``: the first character of the local part and the domain."""
    local, sep, domain = value.strip().partition("@")
    if not sep:
        return _mask_all_but(local, 1, 0)
    return f"{local[:1]}{MASK * max(len(local) - 1, 1)}@{domain}"


def mask_card(value: str) -> str:
    """``4111 1111 1111 1111`` → ``************1111``: only the last four digits stay (PCI DSS display rule)."""
    digits = _SEPARATORS.sub("", value)
    return _mask_all_but(digits, 0, 4)


def mask_account(value: str, keep_last: int = 4) -> str:
    """``01234567890123`` → ``**********0123``: a bank or securities account number with its last digits."""
    digits = _SEPARATORS.sub("", value)
    return _mask_all_but(digits, 0, keep_last)


def mask_secret(value: str) -> str:
    """A password or one-time code: nothing of it is shown, only its length (``******``)."""
    return MASK * len(value)


def _mask_all_but(value: str, keep_first: int, keep_last: int) -> str:
    if len(value) <= keep_first + keep_last:
        return MASK * len(value)
    tail = value[len(value) - keep_last:] if keep_last else ""
    return f"{value[:keep_first]}{MASK * (len(value) - keep_first - keep_last)}{tail}"


__all__ = [
    "MASK_CHARS",
    "is_masked",
    "luhn_valid",
    "mask_account",
    "mask_card",
    "mask_email",
    "mask_national_id",
    "mask_phone",
    "mask_secret",
    "national_id_subtype",
    "validate_national_id",
    "validate_ubn",
]
