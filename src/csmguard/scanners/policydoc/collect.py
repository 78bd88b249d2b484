"""Reads DOCX (python-docx), PDF (pypdf), Markdown and plain text into paragraphs; detects the language
and, unless given, the kind of document. The only I/O of the policy document scanner."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from csmguard.domain.errors import InputError
from csmguard.scanners.policydoc.facts import DocumentFacts, DocumentKind, Paragraph
from csmguard.scanning.budget import MAX_DOCUMENT_TEXT_CHARS
from csmguard.scanning.safezip import SafeZipError, check_office_archive

_CJK = re.compile(r"[\u4e00-\u9fff]")
_BLANK_LINES = re.compile(r"\n\s*\n")
_MAX_BYTES = 50 * 1024 * 1024

# Words that name each kind of document, counted in the title area (first 600 characters, weight 3)
# and in the whole text (weight 1).
KIND_WORDS: dict[DocumentKind, tuple[str, ...]] = {
    DocumentKind.SOCIAL_MEDIA_POLICY: ("社群媒體", "社群網站", "社交媒體", "social media", "social network"),
    DocumentKind.MOBILE_DEVICE_POLICY: ("行動裝置", "行動設備", "mobile device", "mobile devices", "公務手機"),
    DocumentKind.BYOD_AGREEMENT: ("自攜", "byod", "bring your own device", "personal device", "個人裝置", "使用協議"),
}


def read_paragraphs(path: Path) -> tuple[str, list[Paragraph]]:
    """(format, paragraphs) of the file; raises InputError naming the file when it cannot be read."""
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > _MAX_BYTES:
            raise InputError(str(path), f"larger than {_MAX_BYTES} bytes; not read")
        if suffix == ".docx":
            return "docx", _docx(path)
        if suffix == ".pdf":
            return "pdf", _pdf(path)
        text = _decode(path.read_bytes(), str(path))
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from exc
    fmt = "markdown" if suffix in {".md", ".markdown"} else "text"
    return fmt, _text_paragraphs(text)


def _decode(data: bytes, source: str) -> str:
    """UTF-8 (BOM or not), else Big5 (cp950), which older Taiwanese documents use."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            return data.decode("cp950")
        except UnicodeDecodeError:
            raise InputError(source, f"neither UTF-8 nor Big5 text ({exc.reason} at byte {exc.start})") from exc


def _text_paragraphs(text: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    line = 1
    for block in _BLANK_LINES.split(text.replace("\r\n", "\n")):
        start = text.find(block.strip()[:40]) if block.strip() else -1
        line = text.count("\n", 0, start) + 1 if start >= 0 else line
        cleaned = " ".join(re.sub(r"^\s{0,3}(?:#{1,6}\s*|[-*+]\s+|\d+[.)]\s+|>\s*)", "", ln).strip()
                           for ln in block.splitlines())
        if cleaned.strip():
            out.append(Paragraph(cleaned.strip(), f"line {line}"))
    return out


def _docx(path: Path) -> list[Paragraph]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError  # type: ignore[import-untyped]

    try:
        check_office_archive(path)
    except SafeZipError as exc:
        raise InputError(str(path), f"not read as a DOCX file: {exc.message}"
                                    f"{' (part ' + exc.entry + ')' if exc.entry else ''}") from exc
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, LxmlError, zipfile.BadZipFile) as exc:
        raise InputError(str(path), f"not a readable DOCX file: {exc}") from exc
    out: list[Paragraph] = []
    for index, paragraph in enumerate(document.paragraphs, start=1):
        if paragraph.text.strip():
            out.append(Paragraph(paragraph.text.strip(), f"paragraph {index}"))
    for t_index, table in enumerate(document.tables, start=1):
        for r_index, row in enumerate(table.rows, start=1):
            cells = " | ".join(dict.fromkeys(c.text.strip() for c in row.cells if c.text.strip()))
            if cells:
                out.append(Paragraph(cells, f"table {t_index}, row {r_index}"))
    return out


def _pdf(path: Path) -> list[Paragraph]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise InputError(str(path), "the PDF is encrypted; give an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfReadError as exc:
        raise InputError(str(path), f"not a readable PDF: {exc}") from exc
    out: list[Paragraph] = []
    for number, content in enumerate(pages, start=1):
        for block in _BLANK_LINES.split(content):
            # PDF text comes in lines; join lines of one block (CJK lines without a space).
            joined = ""
            for ln in block.splitlines():
                ln = ln.strip()
                if not ln:
                    continue
                glue = "" if joined and _CJK.match(joined[-1]) and _CJK.match(ln[0]) else " "
                joined = f"{joined}{glue}{ln}" if joined else ln
            if joined:
                out.append(Paragraph(joined, f"page {number}"))
    if not any(p.text for p in out):
        raise InputError(str(path), "the PDF has no text layer (scanned image?); OCR it first")
    return out


def detect_language(paragraphs: list[Paragraph]) -> str:
    """``zh-TW`` when CJK characters make up a good part of the text, else ``en``."""
    sample = "".join(p.text for p in paragraphs)[:20000]
    letters = sum(1 for ch in sample if ch.isalpha())
    cjk = len(_CJK.findall(sample))
    return "zh-TW" if letters and cjk / letters > 0.2 else "en"


def detect_kind(paragraphs: list[Paragraph]) -> tuple[DocumentKind | None, tuple[tuple[str, int], ...]]:
    """The kind whose words dominate the title area and the text; None when no kind clearly leads."""
    whole = " ".join(p.text for p in paragraphs).lower()
    head = whole[:600]
    scores: dict[DocumentKind, int] = {}
    for kind, words in KIND_WORDS.items():
        scores[kind] = sum(3 * head.count(w) + whole.count(w) for w in words)
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    table = tuple((k.value, s) for k, s in ranked)
    best, second = ranked[0], ranked[1]
    if best[1] == 0 or best[1] == second[1]:
        return None, table
    return best[0], table


def read_document(path: Path, kind: DocumentKind | None) -> DocumentFacts:
    """Read one document and decide its language and kind."""
    fmt, paragraphs = read_paragraphs(path)
    if not paragraphs:
        raise InputError(str(path), "the document has no text")
    length = sum(len(p.text) for p in paragraphs)
    if length > MAX_DOCUMENT_TEXT_CHARS:
        raise InputError(str(path), f"{length} characters of text, more than a policy document holds; not read "
                                    f"(limit MAX_DOCUMENT_TEXT_CHARS={MAX_DOCUMENT_TEXT_CHARS})")
    detected, scores = detect_kind(paragraphs)
    chosen = kind or detected
    source = "given" if kind else ("detected" if detected else "undetermined")
    return DocumentFacts(path=str(path), format=fmt, paragraphs=tuple(paragraphs),
                         language=detect_language(paragraphs), kind=chosen, kind_source=source, kind_scores=scores)
