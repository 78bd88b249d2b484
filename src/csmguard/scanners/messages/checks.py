"""The checks of the message rules: pure functions from what was read (FileFacts) to findings.

Each rule file names its check (``check: unmasked_phone`` …), a public function of this module (the
rule contract, csmguard.rules.contract, derives the registry from it)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from csmguard.domain import Finding, FindingStatus, Location, Target, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.messages.facts import ACCOUNT_IDENTIFIERS, FileFacts, Hit, Kind

_LABELS: dict[Kind, tuple[str, str]] = {
    Kind.NATIONAL_ID: ("身分證號／居留證號", "national ID / resident certificate number"),
    Kind.UBN: ("統一編號", "unified business number"),
    Kind.PHONE: ("手機號碼", "mobile number"),
    Kind.EMAIL: ("電子郵件地址", "e-mail address"),
    Kind.CARD: ("信用卡／金融卡號", "payment card number"),
    Kind.ACCOUNT: ("銀行／證券／期貨帳號", "bank / securities / futures account number"),
    Kind.PASSWORD: ("密碼", "password"),
    Kind.OTP: ("一次性驗證碼", "one-time code"),
    Kind.PLACEHOLDER: ("範本欄位", "template field"),
}


@dataclass(frozen=True)
class Listing:
    """How many failing and passing findings to list per rule and file; the rest are counted."""

    fails: int = 500
    passes: int = 50


@dataclass(frozen=True)
class MessageCheckContext:
    """What a check needs besides the file's facts: the finding target (the file), how many findings to
    list, and where to count, per rule ID, the findings counted but not listed."""

    target: Target
    listing: Listing = field(default_factory=Listing)
    omitted: Counter[str] = field(default_factory=Counter)


CheckFn = Callable[[Rule, FileFacts, MessageCheckContext], list[Finding]]


class _Collector:
    """Builds findings with stable fingerprints, listing at most what ``listing`` allows per status."""

    def __init__(self, rule: Rule, facts: FileFacts, target: Target, listing: Listing) -> None:
        self.rule, self.facts, self.target = rule, facts, target
        self.limits = {FindingStatus.FAIL: listing.fails, FindingStatus.PASS: listing.passes}
        self.findings: list[Finding] = []
        self.listed = {FindingStatus.FAIL: 0, FindingStatus.PASS: 0}
        self.omitted = 0
        self.seen: dict[str, int] = {}

    def add(self, status: FindingStatus, record: int, hit: Hit, *, extra: dict[str, JsonValue] | None = None,
            value: str | None = None) -> None:
        """Add a finding for ``hit`` in message ``record``, or count it when the listing is full."""
        if self.listed[status] >= self.limits[status]:
            self.omitted += 1
            return
        self.listed[status] += 1
        shown = value if value is not None else hit.detection.display
        occurrence = self.seen.get(shown, 0)
        self.seen[shown] = occurrence + 1
        zh, en = _LABELS[hit.detection.kind]
        evidence: dict[str, JsonValue] = {"kind": hit.detection.kind.value, "value": shown,
                                          "masked": hit.detection.masked, "record": record,
                                          "column": hit.column}
        if hit.field:
            evidence["field"] = hit.field
        if hit.detection.subtype:
            evidence["subtype"] = hit.detection.subtype
        evidence.update(extra or {})
        location = Location(path=self.facts.path, line=hit.line, column=hit.column,
                            resource=f"field {hit.field}" if hit.field else None)
        message = None
        if status is FindingStatus.PASS:
            message = text(f"{zh}已遮蔽：{shown}", f"The {en} is masked: {shown}")
        self.findings.append(self.rule.finding(status, self.target, location, values={"value": shown, "label_zh": zh,
                                                                                      "label_en": en},
                                               message=message, evidence=evidence, key=f"{shown}#{occurrence}"))

    def outcome(self, context: MessageCheckContext) -> list[Finding]:
        """The findings listed; the number left out is counted in ``context.omitted``."""
        if self.omitted:
            context.omitted[self.rule.id] += self.omitted
        return self.findings


def _masking_check(kind: Kind) -> CheckFn:
    """A check that fails every unmasked value of ``kind`` and passes every masked one."""

    def check(rule: Rule, facts: FileFacts, context: MessageCheckContext) -> list[Finding]:
        """Unmasked values of the kind fail; masked ones pass."""
        collector = _Collector(rule, facts, context.target, context.listing)
        for record, hit in facts.by_kind.get(kind, ()):
            collector.add(FindingStatus.PASS if hit.detection.masked else FindingStatus.FAIL, record, hit)
        collector.omitted += facts.unlisted_masked.get(kind, 0)
        return collector.outcome(context)

    return check


def otp_with_account_identifier(rule: Rule, facts: FileFacts, context: MessageCheckContext) -> list[Finding]:
    """A one-time code sent in the same message as an unmasked account identifier (national ID, account or
    card number) fails; beside masked identifiers only it passes; a code on its own is not judged here."""
    collector = _Collector(rule, facts, context.target, context.listing)
    with_codes = {number for number, _ in facts.by_kind.get(Kind.OTP, ())}
    for record in facts.records:
        if len(record.hits) < 2 or record.record not in with_codes:
            continue  # a lone hit cannot be both a code and an identifier
        codes = [hit for hit in record.hits if hit.detection.kind is Kind.OTP]
        identifiers = [hit for hit in record.hits if hit.detection.kind in ACCOUNT_IDENTIFIERS]
        if not codes or not identifiers:
            continue
        exposed = [hit for hit in identifiers if not hit.detection.masked]
        beside: list[JsonValue] = [f"{h.detection.kind.value} {h.detection.display}" for h in (exposed or identifiers)]
        for code in codes:
            status = FindingStatus.FAIL if exposed else FindingStatus.PASS
            collector.add(status, record.record, code, extra={"identifiers": beside})
    return collector.outcome(context)


unmasked_national_id = _masking_check(Kind.NATIONAL_ID)
unmasked_ubn = _masking_check(Kind.UBN)
unmasked_phone = _masking_check(Kind.PHONE)
unmasked_email = _masking_check(Kind.EMAIL)
unmasked_card = _masking_check(Kind.CARD)
unmasked_account = _masking_check(Kind.ACCOUNT)
clear_password = _masking_check(Kind.PASSWORD)
unmasked_template_field = _masking_check(Kind.PLACEHOLDER)
