"""Settings of the message scanner: the keywords and account-number patterns, with defaults that fit
Taiwanese brokers and banks. A firm overrides them with a YAML file (``--settings``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from csmguard.domain.errors import InputError, input_error_from_validation


class AccountPattern(BaseModel):
    """One kind of account number: the regular expression its digits must match in full (separators removed)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    pattern: str = Field(min_length=1)
    # The firm or branch code in front of the account (public, e.g. a broker's branch code): a masked number is
    # judged on what follows it, so "9A95-****567" counts as masked although the code shows in full.
    prefix: str | None = Field(default=None, min_length=1)

    @field_validator("pattern", "prefix")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression: {exc}") from exc
        return value


DEFAULT_ACCOUNTS = (
    # Futures: the futures commission merchant's code (F + 6 digits, as TAIFEX assigns them) + a 7-digit
    # account, written F021000-6060218.
    AccountPattern(name="futures", pattern=r"F[0-9]{6}[0-9]{7}", prefix=r"F[0-9]{6}"),
    # Securities: 4-character broker branch code + 7-digit account (9A95-1234567), or the 7 digits alone
    # (TWSE broker practice).
    AccountPattern(name="securities", pattern=r"[0-9A-Z]{4}[0-9]{7}|[0-9]{7}", prefix=r"[0-9A-Z]{4}(?=.{7}$)"),
    # Bank deposit accounts in Taiwan are 10 to 16 digits (branch code included).
    AccountPattern(name="bank", pattern=r"[0-9]{10,16}"),
)


class MessagesSettings(BaseModel):
    """Keywords that introduce account numbers, cards, business numbers, passwords and one-time codes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    account_keywords: tuple[str, ...] = (
        "證券帳號", "證券帳戶", "交割帳號", "交割帳戶", "銀行帳號", "存款帳號", "期貨帳號", "委託帳號", "集保帳號",
        "轉入帳號", "轉出帳號", "入帳帳號", "帳號", "帳戶", "戶號",
        "securities account", "trading account", "brokerage account", "bank account", "account number",
        "account no.", "account no", "account", "acct", "a/c",
    )
    accounts: tuple[AccountPattern, ...] = DEFAULT_ACCOUNTS
    card_keywords: tuple[str, ...] = ("信用卡號", "信用卡", "金融卡號", "卡號", "card number", "card no.", "card")
    ubn_keywords: tuple[str, ...] = ("統一編號", "統編", "UBN", "tax ID")
    password_keywords: tuple[str, ...] = ("交易密碼", "登入密碼", "臨時密碼", "密碼", "password", "passwd", "pwd",
                                          "PIN", "口令")
    otp_keywords: tuple[str, ...] = ("驗證碼", "認證碼", "動態密碼", "一次性密碼", "OTP", "one-time password",
                                     "one time password", "one-time code", "verification code",
                                     "security code", "passcode", "code")
    # Template placeholders ({{ id_no }}, {phone}, ${email}, %(card)s, #{account}): names that insert
    # sensitive data (regular expressions, case-insensitive), and the words that show the value is masked.
    placeholder_fields: dict[str, str] = {
        "national_id": (r"national_?id|(?<![a-z])id_?(?:no|number)(?![a-z])|(?<![a-z])idn(?![a-z])|identity"
                        r"|身分證|居留證"),
        "phone": r"phone|mobile|(?<![a-z])cell(?![a-z])|手機|電話",
        "email": r"(?<![a-z])e_?mail|信箱",
        "card": r"(?<![a-z])card(?![a-z])|card_?(?:no|number)|(?<![a-z])pan(?![a-z])|卡號",
        "account": r"account|(?<![a-z])acct(?![a-z])|帳號|帳戶",
        "password": r"password|passwd|(?<![a-z])pwd(?![a-z])|密碼",
    }
    placeholder_mask_words: tuple[str, ...] = ("mask", "masked", "redact", "hide", "hidden", "last4", "last_4",
                                               "tail", "partial", "末四碼", "遮")
    max_findings_per_rule: int = Field(default=500, ge=1, description="failing findings listed per rule and file")
    max_passes_per_rule: int = Field(default=50, ge=1, description="passing findings listed per rule and file")
    workers: int = Field(default=1, ge=0, description="processes for files over 4M characters; 0: one per CPU")

    def compiled_accounts(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """The account patterns, compiled."""
        return tuple((a.name, re.compile(a.pattern)) for a in self.accounts)

    def compiled_prefixes(self) -> tuple[tuple[str, re.Pattern[str]], ...]:
        """The firm or branch code patterns of the account kinds that have one, compiled."""
        return tuple((a.name, re.compile(a.prefix)) for a in self.accounts if a.prefix)


def load_settings(path: Path | None) -> MessagesSettings:
    """The defaults, overridden by the YAML file at ``path`` when given; errors name the file and field."""
    if path is None:
        return MessagesSettings()
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise InputError(str(path), f"not valid YAML: {exc}") from exc
    if data is not None and not isinstance(data, dict):
        raise InputError(str(path), "the settings file is a mapping (account_keywords, accounts, …)")
    try:
        return MessagesSettings.model_validate(data or {})
    except ValidationError as exc:
        raise input_error_from_validation(str(path), exc) from exc
