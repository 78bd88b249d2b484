"""Time-based one-time passwords (RFC 6238) with replay protection, and the enrolment QR code."""

from __future__ import annotations

import io
import time

import pyotp
import segno

ISSUER = "CSM Guard"


def new_secret() -> str:
    """A fresh base32 TOTP secret (160 bits)."""
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str) -> str:
    """The ``otpauth://`` URI an authenticator app reads."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The URI as an inline SVG QR code (no external service, no image file)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False, svgns=True,
                                     title="TOTP", border=2)
    return buffer.getvalue().decode("utf-8")


def verify_code(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step that ``code`` matches (±1 step for clock drift), or None.

    A step at or before ``last_step`` (the last accepted one) is refused, so a code cannot be used twice.
    """
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // totp.interval)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None
