from __future__ import annotations

import pydantic
import pytest

from csmguard.domain import Finding, FindingStatus, Location, Severity, Target, make_fingerprint, redact, text


def _finding(**overrides: object) -> Finding:
    values: dict[str, object] = {
        "rule_id": "APP-001", "status": FindingStatus.FAIL, "severity": Severity.HIGH,
        "requirements": ("CSM-17.1.2",), "title": text("標題", "Title"), "message": text("訊息", "Message"),
        "target": Target(kind="apk", id="app.apk"), "fingerprint": "0123456789abcdef",
    }
    values.update(overrides)
    return Finding.model_validate(values)


def test_findings_are_immutable() -> None:
    finding = _finding()
    with pytest.raises(pydantic.ValidationError):
        finding.status = FindingStatus.PASS  # type: ignore[misc]


@pytest.mark.parametrize(("field", "value"), [
    ("rule_id", "app-1"), ("requirements", ()), ("requirements", ("CSM-x",)), ("status", "broken"),
    ("evidence", {"secret": "x" * 600}),
])
def test_findings_are_validated(field: str, value: object) -> None:
    with pytest.raises(pydantic.ValidationError):
        _finding(**{field: value})


def test_fingerprints_ignore_lines_but_not_files_or_keys() -> None:
    target = Target(kind="source", id="repo")
    a = make_fingerprint("APP-001", target, Location(path="A.java", line=1), "k")
    assert a == make_fingerprint("APP-001", target, Location(path="A.java", line=400, column=3), "k")
    assert a != make_fingerprint("APP-001", target, Location(path="B.java", line=1), "k")
    assert a != make_fingerprint("APP-001", target, Location(path="A.java", line=1), "other")
    assert a != make_fingerprint("APP-002", target, Location(path="A.java", line=1), "k")


def test_redaction_never_shows_the_whole_secret() -> None:
    secret = "AKIAIOSFODNN7EXAMPLE"
    shown = redact(secret)
    assert secret not in shown and shown.startswith("AKIA") and shown.endswith("MPLE") and "20 chars" in shown
    assert redact("abc") == "a…(3 chars)"


def test_json_shape_has_language_keyed_texts() -> None:
    data = _finding(location=Location(path="x.java", line=4)).to_json_dict()
    assert data["title"] == {"zh-TW": "標題", "en": "Title"}
    assert data["location"] == {"path": "x.java", "line": 4}
    assert data["status"] == "fail" and data["severity"] == "high"
