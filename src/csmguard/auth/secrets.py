"""Random tokens and their hashes: session IDs, CSRF tokens and API tokens are stored only as hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_TOKEN_PREFIX = "csmg_"  # noqa: S105 - a prefix, not a secret


def new_token(nbytes: int = 32) -> str:
    """A URL-safe random token."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token: str) -> str:
    """The SHA-256 of a high-entropy token (enough for random tokens; passwords use Argon2id)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a: str, b: str) -> bool:
    """Constant-time comparison of two strings."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def new_api_token() -> tuple[str, str]:
    """A new API token and the short prefix shown in lists to recognise it: (token, prefix)."""
    token = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, token[: len(API_TOKEN_PREFIX) + 6]
