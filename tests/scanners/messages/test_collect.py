"""Reading message files: CSV columns, JSON fields, JSON lines, Big5, and bad rows that are rejected not dropped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from csmguard.domain import FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.services.messages_scan import MessagesOptions, load_messages_rules, scan_messages


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_messages_rules()


def _fails(result: object) -> list[tuple[str, int | None]]:
    findings = result.findings  # type: ignore[attr-defined]
    return sorted((f.rule_id, f.location.line) for f in findings if f.status is FindingStatus.FAIL)


def test_csv_reads_only_the_chosen_column(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "log.csv"
    path.write_text("to,note,message\n0912345678,A123456789,您的委託已成交\n0912345679,x,手機 0912345679 已綁定\n",
                    encoding="utf-8")
    result = scan_messages([path], rules)
    assert _fails(result) == [("MSG-003", 3)]  # the recipient column and the note column are not messages
    chosen = scan_messages([path], rules, MessagesOptions(columns=("note",)))
    assert _fails(chosen) == [("MSG-001", 2)]


def test_a_missing_column_is_an_error_and_every_row_is_rejected(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "log.csv"
    path.write_text("to,text\n0912345678,hello\n0912345679,world\n", encoding="utf-8")
    result = scan_messages([path], rules, MessagesOptions(columns=("body",)))
    assert [e.row for e in result.errors] == [1] and "no column body" in result.errors[0].message
    assert result.stats["records_read"] == 2 and result.stats["records_rejected"] == 2
    assert result.stats["records_evaluated"] == 0


def test_short_csv_rows_are_rejected_with_their_line(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "log.csv"
    path.write_text("to,message\n0912,手機 0912345678\nonly-one-field\n", encoding="utf-8")
    result = scan_messages([path], rules)
    assert [(e.row, e.message) for e in result.errors] == [(3, "1 fields where the header has 2")]
    assert (result.stats["records_read"], result.stats["records_evaluated"], result.stats["records_rejected"]) == (
        2, 1, 1)
    assert _fails(result) == [("MSG-003", 2)]


def test_jsonl_bad_lines_are_rejected_and_the_rest_scanned(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "push.jsonl"
    lines = [json.dumps({"notification": {"title": "通知", "body": "身分證 A123456789"}}, ensure_ascii=False),
             "{not json", json.dumps({"other": 1}), json.dumps({"notification": {"body": "OK"}})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = scan_messages([path], rules)
    assert _fails(result) == [("MSG-001", 1)]
    assert sorted((e.row, e.message[:16]) for e in result.errors) == [(2, "not valid JSON: "), (3, "no message field")]
    assert result.stats["records_read"] == 4 and result.stats["records_rejected"] == 2
    fields = [f.evidence.get("field") for f in result.findings]
    assert fields == ["notification.body"]


def test_json_field_option_and_record_numbers(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "templates.json"
    path.write_text(json.dumps([{"name": "a", "sms": {"zh": "您的驗證碼 123456"}},
                                {"name": "b", "sms": {"zh": "帳號 A123456789 驗證碼 654321"}}], ensure_ascii=False),
                    encoding="utf-8")
    result = scan_messages([path], rules, MessagesOptions(fields=("sms.zh",)))
    assert sorted((f.rule_id, f.evidence["record"]) for f in result.findings if f.failing) == [
        ("MSG-001", 2), ("MSG-008", 2)]


def test_big5_exports_are_read(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("您好，手機 0912345678 已變更。\n".encode("cp950"))
    result = scan_messages([path], rules)
    assert _fails(result) == [("MSG-003", 1)] and result.errors == ()


def test_folders_are_walked_and_missing_paths_reported(tmp_path: Path, rules: RuleSet) -> None:
    (tmp_path / "a.txt").write_text("手機 0912345678\n", encoding="utf-8")
    (tmp_path / "b.bin").write_bytes(b"\x00\x01 0912345678")
    result = scan_messages([tmp_path, tmp_path / "nope.txt"], rules)
    assert _fails(result) == [("MSG-003", 1)]
    assert [e.message for e in result.errors] == ["no such file or folder"]


def test_findings_keep_their_fingerprint_when_lines_move(tmp_path: Path, rules: RuleSet) -> None:
    path = tmp_path / "a.txt"
    path.write_text("手機 0912345678\n", encoding="utf-8")
    before = scan_messages([path], rules).findings[0].fingerprint
    path.write_text("早安\n\n手機 0912345678\n", encoding="utf-8")
    assert scan_messages([path], rules).findings[0].fingerprint == before


def test_parallel_detection_gives_the_same_result() -> None:
    from csmguard.scanners.messages.config import MessagesSettings
    from csmguard.scanners.messages.detect import Detector
    from csmguard.scanners.messages.facts import Kind

    detector = Detector.from_settings(MessagesSettings())
    line = "手機 0912345678，遮蔽 0912-***-678，身分證 A123456789，驗證碼 123456，信用卡 4111 1111 1111 1111\n"
    buffer = line * 400
    single = detector.find(buffer)
    assert len(single[0]) == 5 * 400 and single[1] == {}
    assert detector.find_parallel(buffer, 2, min_chars=0) == single
    capped, overflow = detector.find(buffer, keep_masked=10)
    assert len(capped) == 4 * 400 + 10 and overflow == {Kind.PHONE: 390}


def test_listing_cap_counts_the_rest(tmp_path: Path, rules: RuleSet) -> None:
    from csmguard.scanners.messages.config import MessagesSettings

    path = tmp_path / "many.txt"
    path.write_text("遮蔽 0912-***-678\n" * 5 + "手機 0912345678\n" * 3, encoding="utf-8")
    settings = MessagesSettings(max_findings_per_rule=2, max_passes_per_rule=2)
    result = scan_messages([path], rules, MessagesOptions(settings=settings))
    assert sorted((f.status.value, f.location.line) for f in result.findings) == [
        ("fail", 6), ("fail", 7), ("pass", 1), ("pass", 2)]
    assert result.stats["omitted_findings"] == {"MSG-003": 4}  # 3 masked + 1 unmasked beyond the cap
    assert result.stats["detections"] == {"phone.masked": 5, "phone.unmasked": 3}
