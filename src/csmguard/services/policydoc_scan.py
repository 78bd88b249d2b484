"""Use case: check policy documents (social media policy, mobile device policy, BYOD agreement) for the
elements the guideline requires (CSM-10.1, 10.2, 14.1–14.5, 15.1, 15.2)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanError, ScanResult, Target
from csmguard.domain.coverage import Coverage
from csmguard.domain.errors import InputError
from csmguard.rules.contract import registry, run_checks
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.policydoc.checks import DocumentContext
from csmguard.scanners.policydoc.collect import read_document
from csmguard.scanners.policydoc.elements import validate_conditions
from csmguard.scanners.policydoc.facts import DocumentFacts, DocumentKind
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import found_instead, unrecognised_error
from csmguard.scanning.walk import SkippedFile, files_below

SCANNER = "policydoc"
SUFFIXES = (".docx", ".pdf", ".md", ".markdown", ".txt")


def load_policydoc_rules(edition: str = "csm-17") -> RuleSet:
    """The policy document rules, validated against the catalog, their conditions checked."""
    rules = load_rules(load_catalog(edition), [SCANNER])
    validate_conditions(rules.for_scanner(SCANNER))
    return rules


def _files(paths: Sequence[Path], errors: list[ScanError]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            skipped: list[SkippedFile] = []
            out.extend(files_below(path, SUFFIXES, skipped))
            errors.extend(ScanError(target=str(path), path=str(item.path), message=f"skipped: {item.reason}")
                          for item in skipped)
        elif path.is_file():
            out.append(path)
        else:
            errors.append(ScanError(target=str(path), path=str(path), message="no such file or folder"))
    return out


def scan_policydocs(paths: Sequence[Path], rules: RuleSet, kind: DocumentKind | None = None,
                    progress: Progress | None = None) -> ScanResult:
    """Read each document, decide its kind (or use ``kind``), and report each required element."""
    progress = progress or NoProgress()
    started = datetime.now(UTC)
    errors: list[ScanError] = []
    files = _files(paths, errors)
    findings: list[Finding] = []
    documents: list[dict[str, object]] = []
    active = rules.for_scanner(SCANNER)
    progress.start("policydoc", total=len(files))
    for path in files:
        progress.advance()
        try:
            facts = read_document(path, kind)
        except InputError as exc:
            errors.append(ScanError(target=str(path), path=str(path), message=exc.message))
            continue
        documents.append({"path": str(path), "format": facts.format, "language": facts.language,
                          "kind": facts.kind.value if facts.kind else None, "kind_source": facts.kind_source,
                          "paragraphs": len(facts.paragraphs)})
        if facts.kind is None:
            scores = ", ".join(f"{k} {s}" for k, s in facts.kind_scores)
            errors.append(ScanError(target=str(path), path=str(path),
                                    message=f"cannot tell the kind of document ({scores}); use --kind"))
            continue
        target = Target(kind="document", id=str(path), name=facts.kind.value)
        findings.extend(run_checks(active, registry(SCANNER, DocumentFacts, DocumentContext), facts,
                                   DocumentContext(target), where=str(path)))
    progress.finish()
    stats: dict[str, object] = {"documents": documents, "read": len(files),
                                "evaluated": sum(1 for d in documents if d["kind"]),
                                "rejected": len(files) - sum(1 for d in documents if d["kind"])}
    evaluated = sum(1 for d in documents if d["kind"])
    found = {} if evaluated else found_instead(tuple(paths))
    if found and not errors:
        errors.append(unrecognised_error(SCANNER, found))
    return ScanResult(scanner=SCANNER, targets=tuple(str(p) for p in paths), findings=tuple(findings),
                      errors=tuple(errors), stats=stats,
                      coverage=Coverage(recognised={"document": evaluated}, found=found),
                      started_at=started, finished_at=datetime.now(UTC))
