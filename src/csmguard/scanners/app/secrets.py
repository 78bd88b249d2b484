"""Hard-coded secrets judged by the value's shape, its entropy and its context, never by a name alone.

Three detectors, each a pure function of a text unit: provider keys and tokens with a known format
(AWS, Google, Slack, GitHub, Stripe, SendGrid, Firebase …) and JWTs; PEM private-key blocks; and passwords or
symmetric keys given a literal value in code — an assignment to a secret-looking name whose value is shaped
like a secret (length, character classes, entropy, not a placeholder), or a literal passed straight to a
key or password API (``SecretKeySpec``, ``PBEKeySpec``, ``setPassword`` …). Evidence is always redacted.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass

from csmguard.domain import redact
from csmguard.rules.model import Rule
from csmguard.scanners.app.facts import SOURCE_KINDS, TextUnit
from csmguard.scanners.app.patterns import Hit


@dataclass(frozen=True)
class Detector:
    """A provider format: a literal that must occur, and the regex of the whole token."""

    name: str
    literals: tuple[str, ...]
    pattern: re.Pattern[str]
    min_entropy: float = 0.0


def provider_detectors() -> tuple[Detector, ...]:
    """The provider key and token formats (compiled per call; the scanner builds them once per run)."""
    def d(name: str, literal: str | tuple[str, ...], regex: str, min_entropy: float = 0.0) -> Detector:
        return Detector(name, (literal,) if isinstance(literal, str) else literal, re.compile(regex), min_entropy)

    return (
        d("AWS access key ID", "AKIA", r"\b(AKIA[0-9A-Z]{16})\b", 3.0),
        d("AWS temporary access key ID", "ASIA", r"\b(ASIA[0-9A-Z]{16})\b", 3.0),
        d("Google API key", "AIza", r"\b(AIza[0-9A-Za-z_\-]{35})(?![0-9A-Za-z_\-])", 3.5),
        d("Slack token", "xox", r"\b(xox[abposr]-[0-9A-Za-z\-]{10,72})\b", 3.0),
        d("Slack webhook", "hooks.slack.com", r"(https://hooks\.slack\.com/services/T[0-9A-Z]+/B[0-9A-Z]+/[0-9A-Za-z]+)"),
        d("GitHub token", ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), r"\b(gh[pousr]_[0-9A-Za-z]{36})\b", 3.5),
        d("GitHub fine-grained token", "github_pat_", r"\b(github_pat_[0-9A-Za-z_]{60,90})\b", 3.5),
        d("Stripe live key", "_live_", r"\b((?:sk|rk)_live_[0-9A-Za-z]{20,99})\b", 3.5),
        d("SendGrid API key", "SG.", r"\b(SG\.[0-9A-Za-z_\-]{22}\.[0-9A-Za-z_\-]{43})(?![0-9A-Za-z_\-])", 3.5),
        d("Firebase Cloud Messaging server key", "AAAA", r"\b(AAAA[0-9A-Za-z_\-]{7}:[0-9A-Za-z_\-]{140})\b", 4.0),
        d("JSON Web Token", "eyJ",
          r"\b(eyJ[0-9A-Za-z_\-]{8,}\.eyJ[0-9A-Za-z_\-]{8,}\.[0-9A-Za-z_\-]{16,})(?![0-9A-Za-z_\-])", 3.5),
    )


PRIVATE_KEY = re.compile(
    r"-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----"
    r"(?:\\n|\\r|[\s\"'+])*([A-Za-z0-9+/=][^-]{20,}?)-----END")

_NAME = (r"(?:pass(?:word|wd|code|phrase)?|pwd|secret|api_?key|apikey|access_?key|secret_?key|private_?key"
         r"|client_?secret|auth_?token|access_?token|token|aes_?key|des_?key|enc(?:ryption)?_?key|crypt_?key|"
         r"master_?key|signing_?key|salt)")
# name = "value" / name: "value" / name => 'value' / <string name="name">value</string> / "name": "value"
ASSIGNMENT = re.compile(
    r"(?i)(?<![A-Za-z0-9])([A-Za-z0-9_.\-]*" + _NAME + r"[A-Za-z0-9_]*)[\"']?\s*(?::\s*[A-Za-z<>?]+\s*)?"
    r"(?:=|:=|=>|:)\s*@?[\"']([^\"'\s\\]{6,200})[\"']")
XML_STRING = re.compile(r"(?i)<string\s+name=\"([^\"]*" + _NAME + r"[^\"]*)\"\s*>([^<\s]{6,200})</string>")
KEY_API = re.compile(
    r"(?:new\s+SecretKeySpec|SecretKeySpec|new\s+PBEKeySpec|PBEKeySpec|"
    r"\.setPassword|\.withPassword|Key\.fromUtf8|Key\.fromBase64|Encrypter|CryptoJS\.AES\.(?:en|de)crypt)"
    r"\s*\(\s*(?:[A-Za-z0-9_.]+\s*,\s*)?[\"']([^\"'\\]{6,200})[\"']")
_PLACEHOLDER = re.compile(
    r"(?i)^(?:x+|\*+|\.+|-+|_+|0+|1234.*|test.*|dummy.*|example.*|sample.*|placeholder.*|your.*|changeme|"
    r"null|none|true|false|undefined|redacted|todo.*|fixme.*|<.*>|\{.*\}|\$.*|%.*|@string/.*|@.*|R\..*|"
    r"BuildConfig\..*|.*\$\{.*|.*\{\{.*|[a-z]+(?:[_.\- ][a-z]+)*|[A-Z]+(?:_[A-Z]+)*|[a-z]+(?:[A-Z][a-z]+)+)$")
_REGEX_SHAPE = re.compile(r"^\^|\$$|\(\?[=!:<]|\[[A-Za-z0-9]-[A-Za-z0-9]|\{\d+,\d*\}|\.\*|\.\+")
_NOT_SECRET_NAMES = ("_key_name", "keyname", "_field", "_hint", "_label", "_title", "_url", "_path", "_pref",
                     "_prefs", "_header", "_param", "_type", "_len", "length", "_regex", "pattern", "_format")
# Lower-case words one of which is on every line the code-secret regexes can match.
_LINE_WORDS = ("pass", "pwd", "secret", "key", "token", "salt", "cred", "encrypter", "cryptojs.aes")


def shannon_entropy(value: str) -> float:
    """Bits per character of ``value``."""
    if not value:
        return 0.0
    counts: dict[str, int] = {}
    for char in value:
        counts[char] = counts.get(char, 0) + 1
    length = len(value)
    return -sum(c / length * math.log2(c / length) for c in counts.values())


def looks_secret(value: str) -> bool:
    """Whether a literal is shaped like a real secret: not a placeholder, identifier or word, and not flat."""
    if len(value) < 6 or _PLACEHOLDER.match(value) or value.startswith(("http://", "https://", "/")):
        return False
    if _REGEX_SHAPE.search(value):
        return False
    classes = sum(bool(re.search(p, value)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^A-Za-z0-9]"))
    return classes >= 2 and shannon_entropy(value) >= (2.5 if len(value) < 16 else 3.0)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()[:16]


def _hit(rule: Rule, unit: TextUnit, match: re.Match[str], group: int, kind: str, context: str,
         context_zh: str = "", *, short: bool = False) -> Hit:
    secret = match.group(group)
    # Passwords and keys of free form show less of themselves than provider tokens with a public prefix.
    redacted = redact(secret, keep=2 if short and len(secret) < 24 else 4)
    return Hit(rule, unit, match.start(group), match.end(group),
               {"kind": kind, "redacted": redacted, "context": context, "context_zh": context_zh or context},
               _digest(secret), {"kind": kind, "secret": redacted, "sha256_16": _digest(secret),
                                 "context": context[:80]})


def provider_secrets(rule: Rule, unit: TextUnit, detectors: tuple[Detector, ...]) -> Iterator[Hit]:
    """Provider keys, tokens and JWTs of a known format, in any text (source, DEX strings, executable strings)."""
    text = unit.text
    for det in detectors:
        regions = unit.regions(det.literals, fold_case=False)
        for match in (m for start, end in regions for m in det.pattern.finditer(text, start, end)):
            if shannon_entropy(match.group(1)) < det.min_entropy or "EXAMPLE" in match.group(1):
                continue
            yield _hit(rule, unit, match, 1, det.name, det.name)


def private_keys(rule: Rule, unit: TextUnit) -> Iterator[Hit]:
    """PEM private-key blocks with a body (a bare header in documentation or a parser is not a key)."""
    text = unit.text
    pos = text.find("PRIVATE KEY")
    if pos == -1:
        return
    for match in PRIVATE_KEY.finditer(text, max(0, text.rfind("-----BEGIN", 0, pos))):
        yield _hit(rule, unit, match, 2, match.group(1).title(), match.group(1))


def _provider_value(value: str, detectors: tuple[Detector, ...]) -> bool:
    return any(any(lit in value for lit in d.literals) and d.pattern.search(value) for d in detectors)


def code_secrets(rule: Rule, unit: TextUnit, detectors: tuple[Detector, ...] = ()) -> Iterator[Hit]:
    """Passwords and symmetric keys given as literals in source code or string resources (provider keys are
    left to :func:`provider_secrets`)."""
    if unit.kind not in SOURCE_KINDS:
        return
    text = unit.text
    regions = unit.regions(_LINE_WORDS)
    if not regions:
        return
    seen: set[int] = set()
    labels = {KEY_API: ("key or password passed to a crypto API", "傳給加密 API 的金鑰或密碼"),
              ASSIGNMENT: ("value of {name}", "{name} 的值"), XML_STRING: ("string resource {name}", "字串資源 {name}")}
    for regex, (label, label_zh) in labels.items():
        named = regex is not KEY_API
        for match in (m for start, end in regions for m in regex.finditer(text, start, end)):
            value = match.group(2 if named else 1)
            if named:
                name = match.group(1)
                if name.lower().endswith(_NOT_SECRET_NAMES) or not looks_secret(value):
                    continue
                context, context_zh = label.format(name=name), label_zh.format(name=name)
            else:
                context, context_zh = label, label_zh
                if _PLACEHOLDER.match(value) and not re.search(r"[0-9]", value):
                    continue
            start = match.start(2 if named else 1)
            if start in seen or _provider_value(value, detectors):
                continue
            seen.add(start)
            yield _hit(rule, unit, match, 2 if named else 1, "password or key", context, context_zh, short=True)
