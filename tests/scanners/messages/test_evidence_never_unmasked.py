"""Whatever the verdict, no finding of any message detector shows an identifier in full: IDs of every prefix
letter, resident certificates of both formats, futures/securities/bank accounts, cards, phones and e-mail
addresses are searched for in every finding's evidence, message and title with the identifiers' own patterns."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

from csmguard.domain import FindingStatus
from csmguard.masking import luhn_valid, validate_national_id
from csmguard.rules.loader import RuleSet
from csmguard.services.messages_scan import MessagesOptions, load_messages_rules, scan_messages


def _with_check_digit(stem: str) -> str:
    return next(stem + d for d in string.digits if validate_national_id(stem + d))


NATIONAL_IDS = [_with_check_digit(f"{letter}{sex}2345678") for letter in string.ascii_uppercase for sex in "12"]
RESIDENT_NEW = [_with_check_digit(f"{letter}{sex}1234567") for letter in "AFX" for sex in "89"]
RESIDENT_OLD = [_with_check_digit(f"{letter}{second}1234567") for letter in "AFX" for second in "ABCD"]
IDENTIFIERS = [*NATIONAL_IDS, *RESIDENT_NEW, *RESIDENT_OLD]

LINES = [
    *(f"親愛的客戶 {value} 您好，您的委託已成交。" for value in IDENTIFIERS),
    *(f"身分證字號：{value}" for value in IDENTIFIERS[:6]),
    *(f"帳號 {value.lower()} 已開通" for value in IDENTIFIERS[:4]),
    "身分證 X12****787 已更新", "身分證 A1234567X9 已更新", "居留證 AC0＊＊＊＊003 已登錄",
    "您的期貨帳號 F021000-6060218 已完成出金。", "委託回報：F021000-6060218 成交。", "期貨帳號：F0210006060218",
    "您的期貨帳號 F021000-***0218 已完成出金。", "您的期貨帳號 F021000-6***218 已完成出金。",
    "您的證券帳號 9A95-1234567 已開通。", "您的證券戶 5920-7654321 今日有交割款。", "證券帳號 9A95-****567",
    "Your account 1234567 has a new order.", "交割帳戶：012-345678901234 餘額不足", "帳號 ****12345678",
    "信用卡 4111 1111 1111 1111 已扣款", "卡號 4111-1111-1111-1111", "card ****-****-****-1111",
    "卡號 4111 11** **** 1111", "手機 0912345678", "手機 +886912345678", "手機 0912-***-678",
    "Email alice.chen@example.com", "信箱 a****@example.com", "統一編號 04595252", "密碼：Abc12345",
    "驗證碼 123456，帳號 F021000-6060218", "驗證碼 654321，身分證 X123456787",
]

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("national ID", re.compile(r"[A-Za-z][1289A-Da-d][0-9]{8}")),
    ("futures account", re.compile(r"F[0-9]{6}-?[0-9]{7}")),
    ("securities account", re.compile(r"[0-9A-Z]{4}-[0-9]{7}|(?<![0-9])[0-9]{7}(?![0-9])")),
    ("bank account", re.compile(r"[0-9]{10,16}")),
    ("phone", re.compile(r"09[0-9]{8}|8869[0-9]{8}")),
    ("e-mail", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("card", re.compile(r"[0-9](?:[ -]?[0-9]){12,18}")),
]


def _leaks(shown: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for name, pattern in PATTERNS:
        for match in pattern.finditer(shown):
            value = match.group(0)
            if name == "national ID" and not validate_national_id(value):
                continue
            if name == "card" and not luhn_valid(value):
                continue
            out.append((name, value))
    return out


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_messages_rules()


def test_every_id_prefix_and_both_resident_formats_are_recognised(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "ids.txt"
    path.write_text("\n".join(f"客戶 {value} 您好" for value in IDENTIFIERS) + "\n", encoding="utf-8")
    result = scan_messages([path], rules)
    failing = {f.location.line: f.evidence.get("subtype") for f in result.findings
               if f.rule_id == "MSG-001" and f.status is FindingStatus.FAIL}
    assert sorted(failing) == list(range(1, len(IDENTIFIERS) + 1))
    assert {failing[i + 1] for i in range(len(NATIONAL_IDS))} == {"national_id"}
    new = range(len(NATIONAL_IDS) + 1, len(NATIONAL_IDS) + len(RESIDENT_NEW) + 1)
    assert {failing[i] for i in new} == {"resident_certificate"}
    assert {failing[i] for i in range(len(IDENTIFIERS) - len(RESIDENT_OLD) + 1, len(IDENTIFIERS) + 1)} == {
        "resident_certificate_old"}


def test_no_finding_shows_an_identifier_in_full(rules: RuleSet, tmp_path: Path) -> None:
    path = tmp_path / "messages.txt"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    result = scan_messages([path], rules)
    assert result.errors == ()
    statuses = {f.status for f in result.findings}
    assert {FindingStatus.FAIL, FindingStatus.PASS} <= statuses
    assert {f.rule_id for f in result.findings} >= {"MSG-001", "MSG-006", "MSG-005", "MSG-008"}
    for finding in result.findings:
        shown = json.dumps({"evidence": finding.evidence, "message": finding.message.model_dump(),
                            "title": finding.title.model_dump()}, ensure_ascii=False)
        assert _leaks(shown) == [], (finding.rule_id, finding.status, shown)


def test_the_leak_patterns_do_find_the_raw_values() -> None:
    """The patterns above are not vacuous: each raw identifier of the corpus is caught by one of them."""
    raw = [*IDENTIFIERS, "F021000-6060218", "9A95-1234567", "345678901234", "4111 1111 1111 1111", "0912345678",
           "alice.chen@example.com"]
    for value in raw:
        assert _leaks(value), value


def test_a_missing_column_error_does_not_print_a_first_row_in_full(tmp_path: Path) -> None:
    log = tmp_path / "no-header.csv"
    log.write_text("A123456789,0912345678,王小明 amy.wang@example.com.tw 您好\nB123456780,0912000111,x\n",
                   encoding="utf-8")
    result = scan_messages([log], load_messages_rules(), MessagesOptions(columns=("body",)))
    text = " ".join(e.message for e in result.errors)
    assert "no column body" in text
    for identifier in ("A123456789", "0912345678", "amy.wang@"):
        assert identifier not in text
