"""The public masking helpers: validators on known good and bad values, masks that never show a value in full."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from csmguard.masking import (
    is_masked,
    luhn_valid,
    mask_account,
    mask_card,
    mask_email,
    mask_national_id,
    mask_phone,
    national_id_subtype,
    validate_national_id,
    validate_ubn,
)


@pytest.mark.parametrize(("value", "valid"), [
    ("A123456789", True), ("a123456789", True), ("F123456784", True), ("B223456782", True),
    ("A823456783", True), ("K923456784", True),  # resident certificates (second character 8/9)
    ("A123456780", False), ("A323456789", False), ("1123456789", False), ("A12345678", False),
    ("A1234567890", False), ("A12****789", False),
    ("X123456787", True), ("X223456789", True), ("X812345679", True),  # Penghu (X = 30): X is a letter, not a mask
    ("AA00000009", True), ("AC00000003", True), ("XC12345677", True),  # resident certificates before 2021 (A-D)
    ("AC00000004", False), ("AE00000009", False),  # wrong check digit; E is no second letter of a certificate
])
def test_validate_national_id(value: str, valid: bool) -> None:
    assert validate_national_id(value) is valid


@pytest.mark.parametrize(("value", "subtype"), [
    ("X123456787", "national_id"), ("X812345679", "resident_certificate"), ("AC00000003", "resident_certificate_old"),
])
def test_national_id_subtype(value: str, subtype: str) -> None:
    assert national_id_subtype(value) == subtype


@pytest.mark.parametrize(("value", "valid"), [
    ("04595257", True), ("22099131", True), ("10458575", True),
    ("00000005", True),   # valid only under the divisible-by-5 rule of 2023
    ("12345678", False), ("0459525", False), ("0459525a", False),
])
def test_validate_ubn(value: str, valid: bool) -> None:
    assert validate_ubn(value) is valid


def test_ubn_rules_before_2023_and_the_seventh_digit_seven() -> None:
    assert validate_ubn("00000005") and not validate_ubn("00000005", since_2023=False)
    assert validate_ubn("10458575", since_2023=False)
    # 7th digit 7: 9 + (2+8) = 19, so only the "sum + 1" rule makes it divisible by 10.
    assert validate_ubn("90000070", since_2023=False)
    assert not validate_ubn("90000060", since_2023=False)


@pytest.mark.parametrize(("value", "valid"), [
    ("4111 1111 1111 1111", True), ("5500-0000-0000-0004", True), ("378282246310005", True),
    ("4111111111111112", False), ("4111-1111-1111-111a", False), ("", False),
])
def test_luhn(value: str, valid: bool) -> None:
    assert luhn_valid(value) is valid


def test_masks_have_the_documented_shape() -> None:
    assert mask_national_id("A123456789") == "A12****789"
    assert mask_phone("0912345678") == "0912-***-678"
    assert mask_phone("+886 912 345 678") == "+886 912-***-678"
    assert mask_email("alice@example.com") == "a****@example.com"
    assert mask_card("4111 1111 1111 1111") == "************1111"
    assert mask_account("012-345678901234") == "***********1234"
    assert all(is_masked(m) for m in (mask_national_id("A123456789"), mask_phone("0912345678")))


@given(st.from_regex(r"09[0-9]{8}", fullmatch=True))
def test_a_masked_phone_never_holds_the_number(number: str) -> None:
    assert mask_phone(number) == f"{number[:4]}-***-{number[-3:]}"


@given(st.from_regex(r"[0-9]{13,19}", fullmatch=True))
def test_a_masked_card_shows_only_the_last_four(number: str) -> None:
    masked = mask_card(number)
    assert masked.endswith(number[-4:]) and set(masked[:-4]) == {"*"} and len(masked) == len(number)
