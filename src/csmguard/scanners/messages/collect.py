"""Reads message files (plain text, CSV, JSON, JSON lines) into one text buffer per file, one message
field per line, with the map back to rows and fields. The only I/O of the message scanner."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from csmguard.gcpause import cyclic_gc_paused
from csmguard.scanners.messages.detect import Detector
from csmguard.scanners.messages.facts import FileFacts, Hit, Kind, MessageRecord

TEXT_SUFFIXES = (".txt", ".log", ".tmpl", ".tpl", ".template", ".md", ".sms")
CSV_SUFFIXES = (".csv", ".tsv")
JSON_SUFFIXES = (".json",)
JSONL_SUFFIXES = (".jsonl", ".ndjson")

# Column / field names that hold the message text, in the order they are tried (case-insensitive).
DEFAULT_TEXT_FIELDS = (
    "message", "content", "body", "text", "msg", "sms", "template", "title", "subject", "alert",
    "內容", "訊息", "訊息內容", "簡訊內容", "推播內容", "通知內容", "範本", "標題",
    "notification.title", "notification.body", "aps.alert.title", "aps.alert.body", "data.message",
    "message.notification.title", "message.notification.body",
)
MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class MessageBuffer:
    """One file's message texts joined by newlines; line ``i`` is ``line_numbers[i]`` in the file
    (None: identity) and field ``fields[i]`` (None for plain text)."""

    path: str
    format: str
    text: str = ""
    line_numbers: list[int | None] | None = None
    fields: list[str | None] | None = None
    records: list[int] | None = None
    records_read: int = 0
    records_rejected: int = 0
    bytes_read: int = 0
    problems: list[tuple[int | None, str | None, str]] = field(default_factory=list)

    def locate(self, index: int) -> tuple[int, int | None, str | None]:
        """(record number, line in the file when known, field) of buffer line ``index``."""
        line = self.line_numbers[index] if self.line_numbers is not None else index + 1
        record = self.records[index] if self.records is not None else index + 1
        name = self.fields[index] if self.fields is not None else None
        return record, line, name


def detect_format(path: Path, forced: str | None) -> str:
    """``text``, ``csv``, ``json`` or ``jsonl`` from ``forced`` or the file suffix (text by default)."""
    if forced:
        return forced
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return "csv"
    if suffix in JSON_SUFFIXES:
        return "json"
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    return "text"


def decode(data: bytes, problems: list[tuple[int | None, str | None, str]]) -> str:
    """UTF-8 (with or without BOM), else Big5 (cp950, common in Taiwanese exports); undecodable bytes
    are replaced and reported, never dropped silently."""
    for encoding in ("utf-8-sig", "cp950"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    problems.append((None, None, "not valid UTF-8 or Big5; undecodable bytes were replaced with U+FFFD"))
    return data.decode("utf-8", errors="replace")


def read_messages(path: Path, *, fmt: str | None = None, columns: Sequence[str] = (),
                  fields: Sequence[str] = ()) -> MessageBuffer:
    """Read one file into a :class:`MessageBuffer`; unreadable parts become problems, never exceptions."""
    kind = detect_format(path, fmt)
    buffer = MessageBuffer(path=str(path), format=kind)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            buffer.problems.append((None, None, f"larger than {MAX_FILE_BYTES} bytes ({size}); not read"))
            return buffer
        data = path.read_bytes()
    except OSError as exc:
        buffer.problems.append((None, None, f"cannot read: {exc.strerror}"))
        return buffer
    buffer.bytes_read = len(data)
    text = decode(data, buffer.problems)
    if kind == "csv":
        _read_csv(buffer, text, columns, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    elif kind == "json":
        _read_json(buffer, text, fields)
    elif kind == "jsonl":
        _read_jsonl(buffer, text, fields)
    else:
        buffer.text = text
        buffer.records_read = text.count("\n") + (0 if text.endswith("\n") or not text else 1)
    return buffer


def _one_line(value: str) -> str:
    return value.replace("\r", " ").replace("\n", " ")


def _read_csv(buffer: MessageBuffer, text: str, columns: Sequence[str], delimiter: str) -> None:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        buffer.problems.append((1, None, f"unreadable CSV header: {exc}"))
        return
    lowered = [h.strip().lower() for h in header]
    wanted = [c.lower() for c in columns] if columns else [f for f in DEFAULT_TEXT_FIELDS if "." not in f]
    chosen = [(lowered.index(name), header[lowered.index(name)]) for name in wanted if name in lowered]
    missing = [c for c in columns if c.lower() not in lowered]
    if missing or not chosen:
        what = ", ".join(missing) if missing else "a message column (" + ", ".join(wanted[:8]) + " …)"
        shown = ", ".join(_header_cell_shown(cell) for cell in header[:20])
        buffer.problems.append((1, None, f"no column {what} in the header ({shown}); use --column"))
        buffer.records_rejected = sum(1 for _ in _safe_rows(reader, buffer))
        buffer.records_read = buffer.records_rejected
        return
    parts: list[str] = []
    lines: list[int | None] = []
    names: list[str | None] = []
    records: list[int] = []
    last_line = reader.line_num
    for row in _safe_rows(reader, buffer):
        start_line = last_line + 1
        last_line = reader.line_num
        buffer.records_read += 1
        if not row or row == [""]:
            buffer.records_read -= 1
            continue
        if len(row) < len(header):
            buffer.records_rejected += 1
            buffer.problems.append((start_line, None, f"{len(row)} fields where the header has {len(header)}"))
            continue
        for index, name in chosen:
            parts.append(_one_line(row[index]))
            lines.append(start_line)
            names.append(name)
            records.append(buffer.records_read)
    buffer.text = "\n".join(parts)
    buffer.line_numbers, buffer.fields, buffer.records = lines, names, records


_DIGIT_RUN = re.compile(r"\d{4,}")
_EMAIL_LOCAL = re.compile(r"[^\s@,;]+@")


def _header_cell_shown(cell: str) -> str:
    """A header cell as an error message may show it: a file without a header row has a message in its first
    row, so runs of digits (IDs, phones, accounts) and e-mail local parts are masked and long cells cut."""
    masked = _EMAIL_LOCAL.sub("***@", _DIGIT_RUN.sub(lambda m: "*" * len(m.group()), cell))
    return masked if len(masked) <= 40 else masked[:40] + "…"


def _safe_rows(reader: Any, buffer: MessageBuffer) -> Any:
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            buffer.records_read += 1
            buffer.records_rejected += 1
            buffer.problems.append((reader.line_num, None, f"unreadable CSV row: {exc}"))


def _field_value(item: Any, dotted: str) -> Any:
    current = item
    for part in dotted.split("."):
        if not isinstance(current, dict):
            return None
        match = next((k for k in current if isinstance(k, str) and k.lower() == part.lower()), None)
        if match is None:
            return None
        current = current[match]
    return current


def _texts_of(item: Any, fields: Sequence[str]) -> list[tuple[str, str]] | str:
    """The (field, text) pairs of one JSON record, or a problem message."""
    if isinstance(item, str):
        return [("", item)]
    if not isinstance(item, dict):
        return f"a message record is an object or a string, not {type(item).__name__}"
    names = fields or DEFAULT_TEXT_FIELDS
    out: list[tuple[str, str]] = []
    for name in names:
        value = _field_value(item, name)
        if isinstance(value, str):
            out.append((name, value))
        elif value is not None and fields:
            return f"field {name} is {type(value).__name__}, not text"
    if not out:
        wanted = ", ".join(names[:8])
        return f"no message field ({wanted} …); use --field" if not fields else f"no field {', '.join(fields)}"
    return out


def _add_record(buffer: MessageBuffer, item: Any, fields: Sequence[str], line: int | None, parts: list[str],
                lines: list[int | None], names: list[str | None], records: list[int]) -> None:
    buffer.records_read += 1
    texts = _texts_of(item, fields)
    if isinstance(texts, str):
        buffer.records_rejected += 1
        buffer.problems.append((line, None if line else f"record {buffer.records_read}", texts))
        return
    for name, value in texts:
        parts.append(_one_line(value))
        lines.append(line)
        names.append(name or None)
        records.append(buffer.records_read)


def _records_of(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in ("messages", "records", "items", "data", "results", "notifications", "templates"):
            value = _field_value(document, key)
            if isinstance(value, list):
                return value
        return [document]
    return None


def _read_json(buffer: MessageBuffer, text: str, fields: Sequence[str]) -> None:
    try:
        document = orjson.loads(text)
    except orjson.JSONDecodeError as first_error:
        # Many exports named .json are really JSON lines.
        if text.lstrip().startswith("{") and "\n{" in text:
            buffer.format = "jsonl"
            _read_jsonl(buffer, text, fields)
            return
        buffer.problems.append((None, None, f"not valid JSON: {first_error}"))
        return
    records = _records_of(document)
    if records is None:
        buffer.problems.append((None, None, "a JSON message file holds an array of records or an object"))
        return
    parts: list[str] = []
    lines: list[int | None] = []
    names: list[str | None] = []
    numbers: list[int] = []
    for item in records:
        _add_record(buffer, item, fields, None, parts, lines, names, numbers)
    buffer.text = "\n".join(parts)
    buffer.line_numbers, buffer.fields, buffer.records = lines, names, numbers


def _read_jsonl(buffer: MessageBuffer, text: str, fields: Sequence[str]) -> None:
    parts: list[str] = []
    lines: list[int | None] = []
    names: list[str | None] = []
    records: list[int] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            item = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            buffer.records_read += 1
            buffer.records_rejected += 1
            buffer.problems.append((number, None, f"not valid JSON: {exc}"))
            continue
        _add_record(buffer, item, fields, number, parts, lines, names, records)
    buffer.text = "\n".join(parts)
    buffer.line_numbers, buffer.fields, buffer.records = lines, names, records


def collect_file(path: Path, detector: Detector, *, fmt: str | None = None, columns: Sequence[str] = (),
                 fields: Sequence[str] = (), workers: int = 1, keep_masked: int | None = None) -> FileFacts:
    """Read ``path`` and detect every sensitive value in its messages, grouped by message and by kind."""
    buffer = read_messages(path, fmt=fmt, columns=columns, fields=fields)
    with cyclic_gc_paused():
        return _collect_detections(buffer, detector, workers, keep_masked)


def _collect_detections(buffer: MessageBuffer, detector: Detector, workers: int,
                        keep_masked: int | None) -> FileFacts:
    """Detect every sensitive value in ``buffer`` and group the hits by message and by kind."""
    grouped: dict[int, list[Hit]] = {}
    by_kind: dict[Kind, list[tuple[int, Hit]]] = {}
    counts: Counter[str] = Counter()
    lines, names, numbers = buffer.line_numbers, buffer.fields, buffer.records
    found, overflow = detector.scan(buffer.text, workers, keep_masked)
    for index, column, detection in found:
        record = numbers[index] if numbers is not None else index + 1
        hit = Hit(detection, lines[index] if lines is not None else index + 1, column,
                  names[index] if names is not None else None)
        hits = grouped.get(record)
        if hits is None:
            grouped[record] = [hit]
        else:
            hits.append(hit)
        kind_hits = by_kind.get(detection.kind)
        if kind_hits is None:
            by_kind[detection.kind] = [(record, hit)]
        else:
            kind_hits.append((record, hit))
    for kind, kind_hits in by_kind.items():
        masked = sum(1 for _, hit in kind_hits if hit.detection.masked)
        counts[f"{kind.value}.masked"] = masked
        counts[f"{kind.value}.unmasked"] = len(kind_hits) - masked
    for kind, number in overflow.items():
        counts[f"{kind.value}.masked"] += number
    return FileFacts(
        path=buffer.path, format=buffer.format, records_read=buffer.records_read,
        records_rejected=buffer.records_rejected, bytes_read=buffer.bytes_read,
        records=tuple(MessageRecord(number, tuple(hits)) for number, hits in grouped.items()),
        problems=tuple(buffer.problems), by_kind={k: tuple(v) for k, v in by_kind.items()},
        counts={k: v for k, v in counts.items() if v}, unlisted_masked=dict(overflow),
    )
