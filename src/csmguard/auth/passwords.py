"""Password hashing with Argon2id (argon2-cffi's defaults follow RFC 9106's second recommendation)."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

ARGON2_TIME_COST = 3  # RFC 9106's second recommended option: t=3, m=64 MiB (argon2-cffi's defaults)
ARGON2_MEMORY_KIB = 65536


def password_hasher(time_cost: int = ARGON2_TIME_COST, memory_kib: int = ARGON2_MEMORY_KIB) -> PasswordHasher:
    """A hasher for Argon2id (the variant argon2-cffi uses by default) with these costs."""
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hash_password(password: str, hasher: PasswordHasher | None = None) -> str:
    """The encoded Argon2id hash of ``password``."""
    return (hasher or password_hasher()).hash(password)


def verify_password(encoded: str, password: str) -> bool:
    """Whether ``password`` matches the Argon2id hash ``encoded`` (its costs are read from the hash)."""
    try:
        return password_hasher().verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def password_problem(password: str, min_length: int, username: str = "") -> str | None:
    """The message key of what is wrong with a new password, or None when it is acceptable."""
    if len(password) < min_length:
        return "password_too_short"
    if username and username.lower() in password.lower():
        return "password_contains_username"
    if len(set(password)) < 5:
        return "password_too_simple"
    return None


def dummy_verify(dummy_hash: str, password: str) -> None:
    """Spend the time of one verification against ``dummy_hash``, for unknown user names, so that
    both paths of a log-in take as long."""
    verify_password(dummy_hash, password)
