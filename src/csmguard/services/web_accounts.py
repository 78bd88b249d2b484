"""Account use cases of the web app: users, log-in with lock-out and TOTP, sessions, API tokens.

Every change is written to the audit trail in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from csmguard.auth import totp
from csmguard.auth.passwords import (
    ARGON2_MEMORY_KIB,
    ARGON2_TIME_COST,
    dummy_verify,
    hash_password,
    password_hasher,
    password_problem,
    verify_password,
)
from csmguard.auth.roles import CALENDAR_ONLY, TOKEN_ROLES, Role, TokenScope
from csmguard.auth.secrets import new_api_token, new_token, token_hash
from csmguard.auth.throttle import FailureSummary
from csmguard.services import audit
from csmguard.store.models_web import ApiTokenRow, SessionRow, UserRow

STAGE_FULL = "full"
STAGE_ENROL = "enrol"


class AccountError(Exception):
    """A refused account operation; ``key`` names the user-facing message."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True)
class Policy:
    """The account rules the web settings set."""

    lockout_threshold: int = 5
    lockout_minutes: int = 15
    idle_minutes: int = 30
    absolute_hours: int = 12
    require_totp_for_all: bool = False
    min_password_length: int = 12
    argon2_time_cost: int = ARGON2_TIME_COST
    argon2_memory_kib: int = ARGON2_MEMORY_KIB

    def hash(self, password: str) -> str:
        """``password`` hashed with Argon2id at this policy's costs."""
        return hash_password(password, password_hasher(self.argon2_time_cost, self.argon2_memory_kib))


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite returns naive ones)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def user_view(user: UserRow) -> dict[str, Any]:
    """What the audit trail records of a user (never a hash or secret)."""
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "active": user.active, "totp_enabled": user.totp_enabled}


def totp_required(user: UserRow, policy: Policy) -> bool:
    """Whether ``user`` must use TOTP: always for administrators, for everyone when the setting says so."""
    return user.role == Role.ADMINISTRATOR or policy.require_totp_for_all


def user_count(session: Session) -> int:
    """How many accounts exist."""
    return session.scalar(select(func.count()).select_from(UserRow)) or 0


def list_users(session: Session) -> list[UserRow]:
    """All accounts by user name."""
    return list(session.scalars(select(UserRow).order_by(UserRow.username)))


def get_user(session: Session, user_id: int) -> UserRow:
    """The account with ``user_id``."""
    user = session.get(UserRow, user_id)
    if user is None:
        raise AccountError("not_found")
    return user


def create_user(session: Session, actor: str, username: str, display_name: str, role: Role, password: str,
                policy: Policy, now: datetime | None = None) -> UserRow:
    """A new active account; refuses a taken name or a weak password."""
    username = username.strip()
    if not username or len(username) > 64 or not username.replace(".", "").replace("-", "").replace("_", "").isalnum():
        raise AccountError("bad_username")
    if session.scalar(select(UserRow.id).where(func.lower(UserRow.username) == username.lower())) is not None:
        raise AccountError("username_taken")
    problem = password_problem(password, policy.min_password_length, username)
    if problem:
        raise AccountError(problem)
    user = UserRow(username=username, display_name=display_name.strip()[:200] or username, role=role.value,
                   password_hash=policy.hash(password), totp_enabled=False, failed_logins=0, active=True,
                   created_at=now or datetime.now(UTC))
    session.add(user)
    session.flush()
    audit.append(session, actor, "user.create", "user", username, None, user_view(user))
    return user


def update_user(session: Session, actor: str, user: UserRow, *, role: Role | None = None,
                active: bool | None = None, unlock: bool = False, reset_totp: bool = False) -> None:
    """Change an account's role or state, unlock it or make it enrol TOTP again."""
    before = user_view(user)
    if role is not None:
        user.role = role.value
    if active is not None:
        user.active = active
        if not active:
            session.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    if unlock:
        user.failed_logins, user.locked_until = 0, None
    if reset_totp:
        user.totp_enabled, user.totp_secret, user.totp_last_step = False, None, None
        session.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    if role is not None and role not in TOKEN_ROLES:
        for token in session.scalars(select(ApiTokenRow).where(ApiTokenRow.user_id == user.id,
                                                               ApiTokenRow.revoked_at.is_(None))):
            token.revoked_at = datetime.now(UTC)
    after = user_view(user) | ({"unlocked": True} if unlock else {})
    audit.append(session, actor, "user.update", "user", user.username, before, after)


def _lock(session: Session, user: UserRow, now: datetime, policy: Policy, reason: str) -> None:
    """Lock ``user`` for the policy's minutes, end every session of it, and record why."""
    user.locked_until = now + timedelta(minutes=policy.lockout_minutes)
    user.failed_logins = 0
    session.execute(delete(SessionRow).where(SessionRow.user_id == user.id))
    audit.append(session, user.username, "login.lockout", "user", user.username, None,
                 {"reason": reason, "locked_until": user.locked_until.isoformat()})


def change_password(session: Session, user: UserRow, current: str, new: str, policy: Policy,
                    keep_session: str | None = None, now: datetime | None = None) -> str | None:
    """Set a new password after checking the current one; None when done, else the message key of why not.
    A wrong current password counts toward lock-out like a failed log-in (and a lock-out ends every session
    of the user), so the caller must commit either way. A new password ends the user's other sessions
    (all but the one whose cookie value is ``keep_session``)."""
    now = now or datetime.now(UTC)
    if not verify_password(user.password_hash, current):
        user.failed_logins += 1
        if user.failed_logins >= policy.lockout_threshold:
            _lock(session, user, now, policy, "wrong current password")
        return "wrong_password"
    problem = password_problem(new, policy.min_password_length, user.username)
    if problem:
        return problem
    user.password_hash = policy.hash(new)
    user.failed_logins = 0
    others = delete(SessionRow).where(SessionRow.user_id == user.id)
    if keep_session:
        others = others.where(SessionRow.id_hash != token_hash(keep_session))
    ended = session.execute(others).rowcount or 0  # type: ignore[attr-defined]
    audit.append(session, user.username, "user.password", "user", user.username, None,
                 {"other_sessions_ended": ended})
    return None


def begin_totp_enrolment(session: Session, user: UserRow) -> str:
    """A fresh secret kept on the account until a code confirms it (re-used if enrolment is under way)."""
    if user.totp_enabled:
        raise AccountError("totp_already_enabled")
    if not user.totp_secret:
        user.totp_secret = totp.new_secret()
    return user.totp_secret


def confirm_totp_enrolment(session: Session, user: UserRow, code: str) -> None:
    """Turn TOTP on once a code from the authenticator matches the pending secret."""
    if not user.totp_secret or user.totp_enabled:
        raise AccountError("totp_not_pending")
    step = totp.verify_code(user.totp_secret, code, None)
    if step is None:
        raise AccountError("totp_wrong")
    user.totp_enabled, user.totp_last_step = True, step
    audit.append(session, user.username, "user.totp_enrol", "user", user.username, None, {"totp_enabled": True})


class LoginResult(StrEnum):
    """How a log-in attempt ended. The web app answers BAD and LOCKED alike (so nobody learns that an
    account exists or is locked); LOCKED only tells the audit tally."""

    OK = "ok"
    ENROL = "enrol"  # password (and code, if any) accepted; TOTP enrolment is required first
    BAD = "bad_credentials"
    LOCKED = "locked"


@dataclass(frozen=True)
class LoginAttempt:
    """The outcome of one log-in: the result, the user when it succeeded, and the existing account the
    name matched (None for unknown names: the name typed is never recorded, it may be a password)."""

    result: LoginResult
    user: UserRow | None
    account: str | None


def authenticate(session: Session, username: str, password: str, code: str, policy: Policy, dummy_hash: str,
                 now: datetime | None = None) -> LoginAttempt:
    """Check user name, password and (when enrolled) the TOTP code; count failures and lock the account.
    Every path runs one Argon2 verification (unknown, inactive and locked accounts too), so the time taken
    tells nothing. Failures write no audit entry here (see ``record_failed_logins``); a lock-out does."""
    now = now or datetime.now(UTC)
    user = session.scalar(select(UserRow).where(func.lower(UserRow.username) == username.strip().lower()))
    if user is None or not user.active:
        dummy_verify(dummy_hash, password)
        return LoginAttempt(LoginResult.BAD, None, user.username if user is not None else None)
    if user.locked_until is not None and utc(user.locked_until) > now:
        verify_password(user.password_hash, password)  # the same cost as any other attempt; result unused
        return LoginAttempt(LoginResult.LOCKED, None, user.username)
    ok = verify_password(user.password_hash, password)
    if ok and user.totp_enabled:
        step = totp.verify_code(user.totp_secret or "", code, user.totp_last_step)
        ok = step is not None
        if ok:
            user.totp_last_step = step
    if not ok:
        user.failed_logins += 1
        if user.failed_logins >= policy.lockout_threshold:
            _lock(session, user, now, policy, "failed log-ins")
            return LoginAttempt(LoginResult.LOCKED, None, user.username)
        return LoginAttempt(LoginResult.BAD, None, user.username)
    user.failed_logins, user.locked_until, user.last_login_at = 0, None, now
    audit.append(session, user.username, "login", "user", user.username)
    if not user.totp_enabled and totp_required(user, policy):
        return LoginAttempt(LoginResult.ENROL, user, user.username)
    return LoginAttempt(LoginResult.OK, user, user.username)


def record_failed_logins(session: Session, summaries: list[FailureSummary]) -> None:
    """Write failed log-ins to the audit trail as the tally decided: one entry for the first failure of an
    (account, client) pair in a window, one with the count when the window ends."""
    for item in summaries:
        audit.append(session, "anonymous", "login.failed" if item.first else "login.failed_summary", "user",
                     item.account, None,
                     {"client": item.client, "failures": item.failures,
                      "window_start": item.window_start.isoformat(), "window_end": item.window_end.isoformat()})


def open_session(session: Session, user: UserRow, stage: str, now: datetime | None = None) -> str:
    """A new log-in session; returns the cookie value (only its hash is stored)."""
    now = now or datetime.now(UTC)
    token = new_token()
    session.add(SessionRow(id_hash=token_hash(token), user_id=user.id, stage=stage, csrf_token=new_token(),
                           created_at=now, last_seen_at=now))
    return token


TOUCH_AFTER = timedelta(seconds=60)


def _live(row: SessionRow, user: UserRow | None, policy: Policy, now: datetime) -> bool:
    idle = now - utc(row.last_seen_at) > timedelta(minutes=policy.idle_minutes)
    absolute = now - utc(row.created_at) > timedelta(hours=policy.absolute_hours)
    return not (idle or absolute or user is None or not user.active)


def load_session(session: Session, token: str, policy: Policy,
                 now: datetime | None = None) -> tuple[SessionRow, UserRow] | None:
    """The live session and its user for a cookie value (read only: see :func:`session_upkeep_due`)."""
    now = now or datetime.now(UTC)
    row = session.get(SessionRow, token_hash(token))
    if row is None:
        return None
    user = session.get(UserRow, row.user_id)
    if user is None or not _live(row, user, policy, now):
        return None
    return row, user


def session_upkeep_due(session: Session, token: str, policy: Policy, now: datetime | None = None) -> bool:
    """Whether the session must be removed (expired) or its activity noted (at most once a minute)."""
    now = now or datetime.now(UTC)
    row = session.get(SessionRow, token_hash(token))
    if row is None:
        return False
    return not _live(row, session.get(UserRow, row.user_id), policy, now) or \
        now - utc(row.last_seen_at) > TOUCH_AFTER


def session_upkeep(session: Session, token: str, policy: Policy, now: datetime | None = None) -> None:
    """Remove an expired session, or note a live one's activity; in a write transaction."""
    now = now or datetime.now(UTC)
    row = session.get(SessionRow, token_hash(token))
    if row is None:
        return
    if not _live(row, session.get(UserRow, row.user_id), policy, now):
        session.delete(row)
    elif now - utc(row.last_seen_at) > TOUCH_AFTER:
        row.last_seen_at = now


def close_session(session: Session, token: str, actor: str) -> None:
    """End a session (log-out)."""
    session.execute(delete(SessionRow).where(SessionRow.id_hash == token_hash(token)))
    audit.append(session, actor, "logout", "user", actor)


def promote_session(session: Session, row: SessionRow) -> None:
    """After TOTP enrolment, the session becomes a full one (with a fresh CSRF token)."""
    row.stage, row.csrf_token = STAGE_FULL, new_token()


def token_view(token: ApiTokenRow) -> dict[str, Any]:
    """What the audit trail records of an API token (never the token)."""
    return {"name": token.name, "prefix": token.prefix, "scopes": token.scopes,
            "expires_on": token.expires_on.isoformat() if token.expires_on else None,
            "revoked": token.revoked_at is not None}


def create_token(session: Session, owner: UserRow, name: str, scopes: list[TokenScope],
                 expires_on: date | None, now: datetime | None = None) -> tuple[ApiTokenRow, str]:
    """A new API token for ``owner`` (an engineer or administrator; any role for a calendar-feed-only token);
    the token is shown once."""
    if Role(owner.role) not in TOKEN_ROLES and {s.value for s in scopes} != CALENDAR_ONLY:
        raise AccountError("token_role")
    if not name.strip() or not scopes:
        raise AccountError("token_fields")
    token, prefix = new_api_token()
    row = ApiTokenRow(user_id=owner.id, name=name.strip()[:100], prefix=prefix, token_hash=token_hash(token),
                      scopes=" ".join(sorted({s.value for s in scopes})), created_at=now or datetime.now(UTC),
                      expires_on=expires_on)
    session.add(row)
    session.flush()
    audit.append(session, owner.username, "token.create", "api_token", str(row.id), None, token_view(row))
    return row, token


def list_tokens(session: Session, owner: UserRow | None) -> list[tuple[ApiTokenRow, str]]:
    """Tokens with their owner's name: ``owner``'s own, or everyone's when None."""
    query = select(ApiTokenRow, UserRow.username).join(UserRow, UserRow.id == ApiTokenRow.user_id)
    if owner is not None:
        query = query.where(ApiTokenRow.user_id == owner.id)
    return [(row, name) for row, name in session.execute(query.order_by(ApiTokenRow.id))]


def revoke_token(session: Session, actor: UserRow, token_id: int, any_owner: bool) -> None:
    """Revoke a token: its owner's own, or any when ``any_owner`` (administrators)."""
    row = session.get(ApiTokenRow, token_id)
    if row is None or (row.user_id != actor.id and not any_owner):
        raise AccountError("not_found")
    before = token_view(row)
    if row.revoked_at is None:
        row.revoked_at = datetime.now(UTC)
    audit.append(session, actor.username, "token.revoke", "api_token", str(row.id), before, token_view(row))


def authenticate_token(session: Session, token: str, scope: TokenScope,
                       now: datetime | None = None) -> UserRow | None:
    """The owner of a live, unrevoked token that has ``scope`` and whose owner may hold tokens, or None."""
    now = now or datetime.now(UTC)
    row = session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash(token)))
    if row is None or row.revoked_at is not None or scope.value not in row.scopes.split():
        return None
    if row.expires_on is not None and row.expires_on < now.date():
        return None
    owner = session.get(UserRow, row.user_id)
    if owner is None or not owner.active:
        return None
    if Role(owner.role) not in TOKEN_ROLES and set(row.scopes.split()) != CALENDAR_ONLY:
        return None
    row.last_used_at = now
    return owner
