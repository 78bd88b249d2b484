"""Finds sensitive values in message text, validates them (checksums, Luhn, account patterns) and judges
whether they are masked. Pure: no I/O.

Speed: CPython's ``re`` skips quickly over characters that cannot start a match only when a pattern
starts with a character class or literals; one big alternation loses that and runs at a third of the
speed. So the detector runs a few patterns, each with a fast first character (keywords, ``@`` of an
e-mail address, the letter of an ID, phone prefixes, digits of a card), once each over the whole
buffer, and merges what they find by position.
"""

from __future__ import annotations

import multiprocessing
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from csmguard.masking import (
    MASK_CHARS,
    luhn_valid,
    mask_account,
    mask_card,
    mask_email,
    mask_national_id,
    mask_phone,
    mask_secret,
    national_id_subtype,
    validate_national_id,
    validate_ubn,
)
from csmguard.scanners.messages.config import MessagesSettings
from csmguard.scanners.messages.facts import Detection, Kind
from csmguard.scanners.messages.keywords import keyword_table, minimal_keywords, trie_alternation

_M = "*＊●•xX"  # mask characters inside a character class
_STRICT_MASKS = frozenset("*＊●•")
_SEP_RE = re.compile(r"[\s\-]")
_PHONE_SHAPE = re.compile(r"(?:\+?886|0)9[0-9]{8}")
_NID_SHAPE = re.compile(rf"[A-Za-z][0-9A-D{_M}][0-9{_M}]{{8}}")  # masks allowed: judged by _national_id
_MASK_RE = re.compile(f"[{_M}]")
_DIGIT_RE = re.compile("[0-9]")
_NID_SECOND = frozenset("1289ABCD*＊●•xX")
_NID_MIN_MASKS = 3  # an ID showing more than six of its nine digits is not masked
_CLEARLY_MASKED = re.compile(r"(?:[*＊●•]{3,}+[ -]?){1,4}+[0-9]{0,4}+(?![0-9])")
_STRICT_MASK_RE = re.compile("[*＊●•]")
_TRAILING = ".,;:!?。，；：、)）]】」"
_DISPLAY_MAX = 64
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS = frozenset("0123456789")
PARALLEL_MIN_CHARS = 4_000_000  # below this, starting worker processes costs more than it saves

_KEYWORD_TAIL = (r"(?P<sep>[ \t]*(?:[末尾後][四4]碼|ending in|ending)?[ \t]*(?:[:：=#]|為|是|is|IS|Is)?[ \t]*)"
                 r"(?P<val>[!-~](?:[!-~]| (?=[0-9*＊●•])){0,44})")
_PHONE_RE = re.compile(rf"(?:\+886[ -]?|886|0)9[0-9{_M}]{{2}}[ -]?[0-9{_M}]{{3}}[ -]?[0-9{_M}]{{3}}(?![0-9])")
_CARD_RE = re.compile(rf"[0-9{_M}](?<![0-9].)[0-9{_M}]{{3}}(?:[ -]?[0-9{_M}]){{9,15}}+(?![0-9])")
_NID_RE = re.compile(rf"[A-Z](?<![A-Za-z0-9].)[0-9A-D{_M}][0-9{_M}]{{8}}(?![A-Za-z0-9*＊●•])")
# Account numbers outside a keyword's reach are recognised only in their written form with a separator: a
# futures account (the merchant's code F + 6 digits, a dash, 7 digits: F021000-6060218) on its own, a
# securities account (4-character branch code, a dash, 7 digits: 9A95-1234567) only with a context word
# (_ACCOUNT_CONTEXT) shortly before it on the same line. Bare digit runs are left to the keyword pass.
# Both are found from their dash (a literal first character: the search skips fast), then the code before it
# is read; the full-width dash gets its own pattern, run only when the text holds one.
_ACCOUNT_TAILS = (("-", re.compile(rf"-[0-9{_M}]{{7}}(?![0-9A-Za-z\-])")),
                  ("－", re.compile(rf"－[0-9{_M}]{{7}}(?![0-9A-Za-z\-])")))
_FUTURES_CODE = re.compile(r"F[0-9]{6}")
_SECURITIES_CODE = re.compile(r"[0-9][0-9A-Z]{3}")
_ALNUM_DASH = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-")
_ACCOUNT_CONTEXT = ("帳", "戶", "證券", "券商", "分公司", "交割", "account", "acct", "a/c", "broker", "securities")
_CONTEXT_WINDOW = 40
_EMAIL_DOMAIN_RE = re.compile(r"@[A-Za-z0-9\-*＊]++(?:\.[A-Za-z0-9\-*＊]++)*\.[A-Za-z]{2,}")
# Possessive: only a run reaching the "@" can meet \Z, so backtracking from a longer run cannot help.
_EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9._%+\-*＊]{1,64}+\Z")
_PLACEHOLDER_RE = re.compile(
    r"\{\{\s*(?P<j>[^{}\n]{1,80}?)\s*\}\}"          # {{ name }}, {{ name | filter }} (Jinja, Handlebars)
    r"|\$\{(?P<d>[^{}\n]{1,80})\}"                    # ${name}
    r"|#\{(?P<h>[^{}\n]{1,80})\}"                      # #{name}
    r"|%\((?P<p>[A-Za-z_\w]{1,60})\)[sd]"              # %(name)s
    r"|\{(?P<b>[A-Za-z_\u4e00-\u9fff][\w.\u4e00-\u9fff]{0,60})\}")  # {name}

_VALUE_RES: dict[Kind, re.Pattern[str]] = {
    Kind.OTP: re.compile(r"[0-9]{4,8}(?![0-9])"),
    Kind.PASSWORD: re.compile(r"[!-~]{4,40}"),
    Kind.UBN: re.compile(rf"[0-9{_M}]{{8}}(?![0-9])"),
    Kind.CARD: re.compile(rf"[0-9{_M}](?:[ -]?[0-9{_M}]){{3,18}}(?![0-9])"),
    Kind.ACCOUNT: re.compile(rf"[0-9A-Za-z{_M}+][0-9A-Z{_M}\-]{{4,24}}[0-9{_M}](?![0-9A-Za-z])"),
}
_EXPLICIT_SEPARATORS = (":", "：", "=", "為", "是", "is", "IS", "Is")


@dataclass(frozen=True)
class Detector:
    """The compiled patterns and account patterns of one run; build once with :meth:`from_settings`."""

    keyword_re: re.Pattern[str]
    keywords: dict[str, Kind]
    accounts: tuple[tuple[str, re.Pattern[str]], ...]
    overrides: dict[str, tuple[tuple[str, Kind], ...]]
    placeholder_fields: tuple[tuple[str, re.Pattern[str]], ...] = ()
    placeholder_masks: tuple[str, ...] = ()
    prefixes: tuple[tuple[str, re.Pattern[str]], ...] = ()

    @classmethod
    def from_settings(cls, settings: MessagesSettings) -> Detector:
        """Compile the detector for ``settings``."""
        core, overrides = minimal_keywords(keyword_table(settings))
        keyword_re = re.compile(f"(?P<kw>{trie_alternation(core)}){_KEYWORD_TAIL}")
        fields = tuple((name, re.compile(pattern, re.IGNORECASE))
                       for name, pattern in settings.placeholder_fields.items())
        masks = tuple(w.lower() for w in settings.placeholder_mask_words)
        return cls(keyword_re, core, settings.compiled_accounts(), overrides, fields, masks,
                   settings.compiled_prefixes())

    def find(self, buffer: str, keep_masked: int | None = None) -> tuple[list[tuple[int, Detection]], Overflow]:
        """Every ``(offset, detection)`` in ``buffer``, sorted by offset; beyond ``keep_masked`` masked values
        of a kind, masked values are only counted (the second item), which keeps large logs fast."""
        sink = _Sink(keep_masked)
        taken: set[int] = set()
        self._keyword_pass(buffer, sink, taken)
        self._account_shape_pass(buffer, sink, taken)
        _shape_passes(buffer, sink, taken)
        if self.placeholder_fields:
            self._placeholder_pass(buffer, sink)
        sink.found.sort(key=lambda item: item[0])
        return sink.found, sink.overflow

    def find_parallel(self, buffer: str, workers: int, keep_masked: int | None = None,
                      min_chars: int = PARALLEL_MIN_CHARS) -> tuple[list[tuple[int, Detection]], Overflow]:
        """:meth:`find` on line-aligned chunks of a large buffer in ``workers`` processes."""
        if workers <= 1 or len(buffer) < min_chars:
            return self.find(buffer, keep_masked)
        chunks: list[tuple[int, str]] = []
        size = len(buffer) // (workers * 2) + 1
        start = 0
        while start < len(buffer):
            end = buffer.find("\n", min(start + size, len(buffer)))
            end = len(buffer) if end < 0 else end + 1
            chunks.append((start, buffer[start:end]))
            start = end
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            parts = list(pool.map(_find_chunk, [(self, base, text, keep_masked) for base, text in chunks]))
        overflow: Overflow = {}
        for _, part_overflow in parts:
            for kind, number in part_overflow.items():
                overflow[kind] = overflow.get(kind, 0) + number
        return [item for part, _ in parts for item in part], overflow

    def scan(self, buffer: str, workers: int = 1,
             keep_masked: int | None = None) -> tuple[list[tuple[int, int, Detection]], Overflow]:
        """``(line index, column, detection)`` for every sensitive value in ``buffer``, in order, and the
        masked values counted but not kept."""
        found, overflow = self.find_parallel(buffer, workers, keep_masked)
        out: list[tuple[int, int, Detection]] = []
        line = 0
        scanned_to = 0
        line_start = 0
        count = buffer.count
        for offset, detection in found:
            newlines = count("\n", scanned_to, offset)
            if newlines:
                line += newlines
                line_start = buffer.rfind("\n", scanned_to, offset) + 1
            scanned_to = offset
            out.append((line, offset - line_start + 1, detection))
        return out, overflow

    def _keyword_pass(self, buffer: str, sink: _Sink, taken: set[int]) -> None:
        overrides = self.overrides
        keywords = self.keywords
        letters = _ASCII_LETTERS
        mask_lead = _STRICT_MASKS
        clearly_masked = _CLEARLY_MASKED.match
        value_res = _VALUE_RES
        account, card, password, otp = Kind.ACCOUNT, Kind.CARD, Kind.PASSWORD, Kind.OTP
        full = sink.full
        full_kinds: set[Kind] = set()  # sink.full never turns false again: remember it
        overflow = sink.overflow
        found = sink.found
        add_taken = taken.add
        for match in self.keyword_re.finditer(buffer):
            word, sep, val = match.groups()  # kw, sep, val: the only capturing groups
            kind = keywords[word]
            if val[0] in mask_lead and (kind is account or kind is card):
                if kind not in full_kinds and full(kind):
                    full_kinds.add(kind)
                if (kind in full_kinds and clearly_masked(val) and word not in overrides
                        and (sep or word[-1] not in letters)):
                    # A masked account or card number once enough are listed: count it, skip the parsing
                    # (a keyword glued to a preceding word is still no keyword).
                    start = match.start()
                    if not (word[0] in letters and start and buffer[start - 1] in letters):
                        add_taken(match.start(3))
                        overflow[kind] = overflow.get(kind, 0) + 1
                    continue
            start = match.start()
            if word in overrides:
                for prefix, other in overrides[word]:
                    if start >= len(prefix) and buffer.startswith(prefix, start - len(prefix)):
                        kind, start, word = other, start - len(prefix), prefix + word
                        break
            if word[0] in letters and start and buffer[start - 1] in letters:
                continue
            if word[-1] in letters and not sep:
                continue
            value_match = value_res[kind].match(val)
            if value_match is None:
                continue
            if kind is otp:  # never masked: kept without going through the sink
                offset = match.start(3)
                add_taken(offset)
                found.append((offset, Detection(otp, False, mask_secret(value_match.group(0)))))
                continue
            if kind is password and sep.strip() not in _EXPLICIT_SEPARATORS:
                continue
            detection = self._keyword_value(kind, value_match.group(0))
            if detection is not None:
                offset = match.start(3)
                add_taken(offset)
                if kind is account:
                    # No shape pass may read a part of the account (a card number inside F021000-6060218).
                    taken.update(range(offset + 1, offset + value_match.end()))
                sink.add(offset, detection)

    def _account_shape_pass(self, buffer: str, sink: _Sink, taken: set[int]) -> None:
        """Futures and securities account numbers written with a separator, outside a keyword's reach."""
        matches = (m for dash_char, tail in _ACCOUNT_TAILS if dash_char in buffer for m in tail.finditer(buffer))
        for match in matches:
            dash, end = match.span()
            start = dash - 7
            if start >= 0 and _FUTURES_CODE.fullmatch(buffer, start, dash) and (
                    start == 0 or buffer[start - 1] not in _ALNUM_DASH):
                pass  # a futures account: the merchant's code is distinctive enough on its own
            else:
                start = dash - 4
                if not _SECURITIES_CODE.fullmatch(buffer, start, dash) or (
                        start and buffer[start - 1] in _ALNUM_DASH):
                    continue
                line_start = buffer.rfind("\n", 0, start) + 1
                before = buffer[max(line_start, start - _CONTEXT_WINDOW):start].lower()
                if not any(word in before for word in _ACCOUNT_CONTEXT):
                    continue
            if start in taken:
                continue
            detection = _account(buffer[start:end], self.accounts, self.prefixes)
            if detection is not None:
                taken.update(range(start, end))
                sink.add(start, detection)

    def _placeholder_pass(self, buffer: str, sink: _Sink) -> None:
        """Template fields that insert sensitive data: masked when a mask word is in the field or filter."""
        if "{" not in buffer and "%(" not in buffer:
            # Every placeholder form holds "{" or "%("; the string search is many times faster than
            # the pattern, which has no literal prefix and visits every character.
            return
        for match in _PLACEHOLDER_RE.finditer(buffer):
            inner = next(g for g in match.groups() if g is not None)
            name = inner.split("|")[0].strip()
            category = next((c for c, pattern in self.placeholder_fields if pattern.search(name)), None)
            if category is None:
                continue
            masked = any(word in inner.lower() for word in self.placeholder_masks)
            sink.add(match.start(), Detection(Kind.PLACEHOLDER, masked, _shown(match.group(0)), category))

    def _keyword_value(self, kind: Kind, value: str) -> Detection | None:
        if kind is Kind.OTP:
            return Detection(Kind.OTP, False, mask_secret(value))
        if kind is Kind.PASSWORD:
            return _password(value.rstrip(_TRAILING))
        if kind is Kind.UBN:
            if _masked(value):
                return Detection(Kind.UBN, True, value)
            return Detection(Kind.UBN, False, mask_account(value, 3)) if validate_ubn(value) else None
        if kind is Kind.CARD:
            return _card(value, keyword=True)
        return _account(value, self.accounts, self.prefixes)


Overflow = dict[Kind, int]


class _Sink:
    """Collects detections; past ``limit`` masked values of a kind it only counts them."""

    __slots__ = ("found", "kept", "limit", "overflow")

    def __init__(self, limit: int | None) -> None:
        self.found: list[tuple[int, Detection]] = []
        self.kept: dict[Kind, int] = {}
        self.overflow: Overflow = {}
        self.limit = limit if limit is not None else 1 << 62

    def full(self, kind: Kind) -> bool:
        """Whether no more masked values of ``kind`` are kept."""
        return self.kept.get(kind, 0) >= self.limit

    def count(self, kind: Kind) -> None:
        """Count a masked value of ``kind`` without keeping it."""
        self.overflow[kind] = self.overflow.get(kind, 0) + 1

    def add(self, offset: int, detection: Detection) -> None:
        """Keep ``detection``, or only count it when it is masked and enough of its kind are kept."""
        if detection.masked:
            kind = detection.kind
            kept = self.kept.get(kind, 0)
            if kept >= self.limit:
                self.overflow[kind] = self.overflow.get(kind, 0) + 1
                return
            self.kept[kind] = kept + 1
        self.found.append((offset, detection))


def _find_chunk(job: tuple[Detector, int, str, int | None]) -> tuple[list[tuple[int, Detection]], Overflow]:
    """Worker: the detections of one chunk, with offsets in the whole buffer."""
    detector, base, text, keep_masked = job
    found, overflow = detector.find(text, keep_masked)
    return [(base + offset, detection) for offset, detection in found], overflow


def _shape_passes(buffer: str, sink: _Sink, taken: set[int]) -> None:
    """The phone, card, national ID and e-mail patterns, each once over the whole buffer.

    Once the masked values of a kind are no longer kept (``sink.full``, which never turns false again),
    a masked match is counted inline, without building a detection or calling into the sink."""
    append = sink.add
    masked_search = _MASK_RE.search
    overflow = sink.overflow
    digits = _DIGITS
    phone_kind, nid_kind, email_kind = Kind.PHONE, Kind.NATIONAL_ID, Kind.EMAIL
    phone_full = sink.full(phone_kind)
    for match in _PHONE_RE.finditer(buffer):
        start = match.start()
        if start in taken or (start and buffer[start - 1] in digits):
            continue
        value = match.group(0)
        if masked_search(value) is not None:
            if phone_full or sink.full(phone_kind):
                phone_full = True
                overflow[phone_kind] = overflow.get(phone_kind, 0) + 1
            else:
                append(start, Detection(phone_kind, True, value))
        else:
            append(start, Detection(phone_kind, False, mask_phone(value)))
        taken.add(start)
    for match in _CARD_RE.finditer(buffer):
        start = match.start()
        if start not in taken:
            card = _card(match.group(0), keyword=False)
            if card is not None:
                append(start, card)
    nid_full = False
    nid_second = _NID_SECOND
    for match in _NID_RE.finditer(buffer):
        start = match.start()
        if start not in taken:
            value = match.group(0)
            # Masks are counted after the letter: X is a prefix letter (X123456787 is an ID in full).
            if nid_full and value[1] in nid_second and masked_search(value, 1) is not None and sum(
                    1 for char in value[1:] if char in MASK_CHARS) >= _NID_MIN_MASKS:
                overflow[nid_kind] = overflow.get(nid_kind, 0) + 1
                continue
            nid_full = nid_full or sink.full(nid_kind)
            nid = _national_id(value)
            if nid is not None:
                append(start, nid)
    email_full = sink.full(email_kind)
    local_search = _EMAIL_LOCAL_RE.search
    strict_search = _STRICT_MASK_RE.search  # masked with a symbol: x/X occur in e-mail addresses
    for match in _EMAIL_DOMAIN_RE.finditer(buffer):
        at = match.start()
        local = local_search(buffer, at - 64 if at > 64 else 0, at)
        if local is None:
            continue
        value = local.group(0) + match.group(0)
        if strict_search(value) is not None:
            if email_full or sink.full(email_kind):
                email_full = True
                overflow[email_kind] = overflow.get(email_kind, 0) + 1
            else:
                append(local.start(), Detection(email_kind, True, _shown(value)))
        else:
            append(local.start(), Detection(email_kind, False, _shown(mask_email(value))))


def _masked(value: str) -> bool:
    return _MASK_RE.search(value) is not None


def _shown(value: str) -> str:
    return value if len(value) <= _DISPLAY_MAX else value[:_DISPLAY_MAX] + "…"


def _national_id(value: str) -> Detection | None:
    """A national ID or resident certificate number, masked or not; None for a look-alike. The first letter is
    never a mask, so an ID of prefix X (Penghu) is read as an ID, not as a masked value."""
    digits = value[1:]
    if _masked(digits):
        if value[1] not in "1289ABCD" and not _masked(value[1]):
            return None
        if sum(1 for char in digits if char in MASK_CHARS) >= _NID_MIN_MASKS:
            return Detection(Kind.NATIONAL_ID, True, value)
        # One or two digits hidden: the number is as good as shown; display it masked the standard way.
        return Detection(Kind.NATIONAL_ID, False, mask_national_id(_MASK_RE.sub("*", digits).join((value[0], ""))),
                         "partly_masked")
    if not validate_national_id(value):
        return None
    return Detection(Kind.NATIONAL_ID, False, mask_national_id(value), national_id_subtype(value))


def _password(value: str) -> Detection | None:
    if len(value) < 4:
        return None
    if all(char in _STRICT_MASKS for char in value):
        return Detection(Kind.PASSWORD, True, value)
    has_digit = any(c.isdigit() for c in value)
    mixed_case = any(c.islower() for c in value) and any(c.isupper() for c in value)
    if has_digit or mixed_case:
        return Detection(Kind.PASSWORD, False, mask_secret(value))
    return None


def _card(value: str, *, keyword: bool) -> Detection | None:
    digits = _SEP_RE.sub("", value)
    if _masked(digits):
        masks = sum(1 for c in digits if c in MASK_CHARS)
        visible = len(digits) - masks
        if masks >= 4 and visible <= 6 and (keyword or len(digits) >= 13):
            return Detection(Kind.CARD, True, digits)
        if masks >= 4 and (keyword or len(digits) >= 13):
            return Detection(Kind.CARD, False, mask_card(_MASK_RE.sub("", digits)), "partly_masked")
        return None
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return Detection(Kind.CARD, False, mask_card(digits))
    return None


def _account(value: str, accounts: tuple[tuple[str, re.Pattern[str]], ...],
             prefixes: tuple[tuple[str, re.Pattern[str]], ...] = ()) -> Detection | None:
    compact = _SEP_RE.sub("", value.replace("－", "-")) if ("-" in value or " " in value or "－" in value) else value
    if _NID_SHAPE.fullmatch(compact):
        # Before the mask test: X is a valid first letter of an ID (X123456787), not a mask.
        nid = _national_id(compact[0].upper() + compact[1:])
        if nid is not None:
            return nid
    masked_part = compact[1:] if compact[:1] in ("x", "X") else compact  # a leading X is a letter
    if _MASK_RE.search(masked_part) is not None:
        for name, prefix in prefixes:
            code = prefix.match(compact)
            if code is not None and _is_code(code.group(0), value):
                return _masked_after_code(compact, code.end(), name)
        if len(_DIGIT_RE.findall(compact)) <= 5:
            return Detection(Kind.ACCOUNT, True, compact)
        return Detection(Kind.ACCOUNT, False, mask_account(_MASK_RE.sub("", compact)), "partly_masked")
    if _PHONE_SHAPE.fullmatch(compact):
        return Detection(Kind.PHONE, False, mask_phone(compact))
    for name, pattern in accounts:
        if pattern.fullmatch(compact):
            return Detection(Kind.ACCOUNT, False, mask_account(compact), name)
    return None


def _is_code(code: str, value: str) -> bool:
    """Whether ``code`` reads as a public firm or branch code in front of the account in ``value``: it holds no
    mask and either holds a letter (F021000, 9A95) or is set off by a separator (5920-****567). An all-digit
    run such as 0123****567 may as well be one bank account showing seven digits: it is judged whole."""
    if _MASK_RE.search(code) is not None:
        return False
    if any(char.isalpha() for char in code):
        return True
    written = value.replace("－", "-")
    return written.startswith(code) and written[len(code):len(code) + 1] in ("-", " ")


def _masked_after_code(compact: str, code_end: int, name: str) -> Detection:
    """A masked account behind a public firm or branch code: masked when the account part shows at most four
    digits and hides at least three."""
    code, account = compact[:code_end], compact[code_end:]
    visible = len(_DIGIT_RE.findall(account))
    hidden = len(_MASK_RE.findall(account))
    if visible <= 4 and hidden >= 3:
        return Detection(Kind.ACCOUNT, True, f"{code}-{account}", name)
    return Detection(Kind.ACCOUNT, False, f"{code}-{mask_account(_MASK_RE.sub('', account))}", "partly_masked")
