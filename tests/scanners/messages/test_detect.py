"""The detector on its own: keyword forms, overrides between kinds, look-alikes that are not reported."""

from __future__ import annotations

import pytest

from csmguard.scanners.messages.config import MessagesSettings
from csmguard.scanners.messages.detect import Detector


@pytest.fixture(scope="module")
def detector() -> Detector:
    return Detector.from_settings(MessagesSettings())


@pytest.mark.parametrize(("message", "expected"), [
    ("動態密碼：123456", [("otp", False)]),                 # a longer keyword of another kind wins
    ("您的一次性密碼為 654321", [("otp", False)]),
    ("Your one-time password is 778899", [("otp", False)]),
    ("交易密碼為 839201", [("password", False)]),           # 交易密碼 is found as 密碼, same kind
    ("證券帳號 9A95-1234567", [("account", False)]),
    ("Your securities account 1234567 is open", [("account", False)]),
    ("barcode: 1234, postcode 5678", []),                   # "code" inside a word is not a keyword
    ("卡號末四碼 ****0004", [("card", True)]),
    ("訂單 1234567890123", []),                              # 13 digits, not Luhn-valid, no keyword
    ("2026-11-05 10:20:30 成交 1000 股", []),
    ("統一編號 12345678", []),                               # fails the checksum
    ("帳號 a123456789 已開通", [("national_id", False)]),    # lower case after an account keyword
    ("客戶 a123456789", []),                                 # bare IDs are matched in upper case only
    ("客戶 X123456787 您好", [("national_id", False)]),      # prefix X is a letter, not a mask
    ("帳號 X123456787", [("national_id", False)]),
    ("統一證號 AC00000003", [("national_id", False)]),       # resident certificate before 2021
    ("身分證 A1234567X9", [("national_id", False)]),         # one digit hidden is not masked
    ("身分證 X12****787", [("national_id", True)]),
    ("期貨帳號 F021000-6060218", [("account", False)]),
    ("委託回報 F021000-6060218 成交", [("account", False)]),  # a futures account needs no keyword
    ("期貨帳號 F021000-***0218", [("account", True)]),       # the merchant's code is public
    ("證券帳號 9A95-****567", [("account", True)]),           # so is the branch code
    ("證券帳號 5920-****567", [("account", True)]),           # set off by its dash
    ("帳號 0123****567", [("account", False)]),               # no code to set apart: 7 of 11 digits shown
    ("您的證券戶 5920-7654321 今日交割", [("account", False)]),  # separator + context word
    ("訂單 2024-1234567 已出貨", []),                         # separator without a context word
])
def test_detections(detector: Detector, message: str, expected: list[tuple[str, bool]]) -> None:
    assert [(d.kind.value, d.masked) for _, _, d in detector.scan(message)[0]] == expected


def test_columns_are_one_based_per_line(detector: Detector) -> None:
    found = [(line, column) for line, column, _ in detector.scan("abc\n手機 0912345678\n")[0]]
    assert found == [(1, 4)]


def test_counting_masked_values_never_hides_a_partly_masked_one(detector: Detector) -> None:
    buffer = "帳號 ****1234\n" * 3 + "帳號 ****12345678\n" + "信用卡 **** **** **** 1234\n" * 3
    found, overflow = detector.find(buffer, keep_masked=1)
    assert [(d.kind.value, d.masked, d.subtype) for _, d in found] == [
        ("account", True, ""), ("account", False, "partly_masked"), ("card", True, "")]
    assert {k.value: v for k, v in overflow.items()} == {"account": 2, "card": 2}


def test_past_the_listing_cap_an_x_prefixed_or_barely_masked_id_is_still_found(detector: Detector) -> None:
    buffer = "身分證 A12****789\n" * 3 + "客戶 X123456787\n" + "客戶 A1234567X9\n"
    found, overflow = detector.find(buffer, keep_masked=1)
    assert [(d.kind.value, d.masked, d.display) for _, d in found] == [
        ("national_id", True, "A12****789"), ("national_id", False, "X12****787"),
        ("national_id", False, "A12****7*9")]
    assert {k.value: v for k, v in overflow.items()} == {"national_id": 2}
