"""Use case: scan TLS, SSH/SFTP and FTP endpoints against the endpoint policy and the EP- rules."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from csmguard.catalog.loader import load_catalog
from csmguard.domain import Finding, ScanError, ScanResult
from csmguard.domain.coverage import Coverage
from csmguard.domain.errors import InputError
from csmguard.rules.loader import RuleSet, load_rules
from csmguard.scanners.endpoint.check_base import CheckContext
from csmguard.scanners.endpoint.checks import evaluate
from csmguard.scanners.endpoint.collect import ProbeOptions, collect_endpoints
from csmguard.scanners.endpoint.facts import EndpointTarget
from csmguard.scanners.endpoint.policy import EndpointPolicy, load_policy
from csmguard.scanners.endpoint.targets import TargetError, TargetLine, parse_target, read_targets_file
from csmguard.scanning.progress import NoProgress, Progress
from csmguard.scanning.sniff import unrecognised_error

SCANNER = "endpoint"


@dataclass(frozen=True)
class EndpointScanRequest:
    """What to scan and how."""

    targets: tuple[str, ...] = ()
    targets_file: Path | None = None
    timeout: float = 10.0
    concurrency: int = 20
    allow_private: bool = False
    try_login: bool = False
    ca_file: Path | None = None
    profile: Path | None = None
    app_backend: bool = False
    expiry_warning_days: int | None = None


def load_endpoint_rules(edition: str = "csm-17") -> RuleSet:
    """The EP- rules, validated against the catalog and the registered checks."""
    return load_rules(load_catalog(edition), [SCANNER])


def _policy(request: EndpointScanRequest) -> EndpointPolicy:
    policy = load_policy(request.profile)
    if request.expiry_warning_days is not None:
        tls = policy.tls.model_copy(update={"expiry_warning_days": request.expiry_warning_days})
        policy = policy.model_copy(update={"tls": tls})
    return policy


def _check_request(request: EndpointScanRequest) -> None:
    if request.timeout <= 0:
        raise InputError(None, "--timeout must be more than 0 seconds", field="timeout")
    if request.concurrency < 1:
        raise InputError(None, "--concurrency must be at least 1", field="concurrency")
    if request.ca_file is not None:
        try:
            ssl.create_default_context(cafile=str(request.ca_file))
        except (OSError, ssl.SSLError) as exc:
            raise InputError(str(request.ca_file), f"not a readable PEM file of CA certificates: {exc}") from exc


def _target_lines(request: EndpointScanRequest) -> list[TargetLine]:
    lines = [TargetLine(t) for t in request.targets]
    if request.targets_file is not None:
        try:
            lines.extend(read_targets_file(request.targets_file))
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(str(request.targets_file), f"cannot read the targets file: {exc}") from exc
    if not lines:
        raise InputError(None, "no targets: give host[:port] or URLs, or --targets-file")
    return lines


def scan_endpoints(request: EndpointScanRequest, *, rules: RuleSet, progress: Progress | None = None,
                   now: datetime | None = None) -> ScanResult:
    """Parse the targets, probe them concurrently, and evaluate every EP- rule on what was read.

    Raises InputError for unusable options (profile, CA file, targets file); a target that cannot be
    parsed, is refused or cannot be reached becomes an ``errors[]`` entry and the run goes on.
    """
    started = datetime.now(UTC)
    _check_request(request)
    policy = _policy(request)
    lines = _target_lines(request)
    progress = progress or NoProgress()
    errors: list[ScanError] = []
    parsed: list[EndpointTarget] = []
    seen: set[tuple[object, ...]] = set()
    duplicates = 0
    for line in lines:
        try:
            target = parse_target(line.text, app_backend=request.app_backend)
        except TargetError as exc:
            errors.append(ScanError(target=line.text, path=line.source, row=line.line, message=str(exc)))
            continue
        key = (target.protocol, target.host.lower(), target.port, target.path)
        if key in seen:  # the same endpoint twice (e.g. merged lists): probe it once
            duplicates += 1
            continue
        seen.add(key)
        parsed.append(target)
    options = ProbeOptions(timeout=request.timeout, concurrency=request.concurrency,
                           allow_private=request.allow_private, try_login=request.try_login,
                           ca_file=request.ca_file)
    progress.start("endpoints", total=len(parsed))
    try:
        outcomes = collect_endpoints(parsed, policy, options, progress) if parsed else []
    finally:
        progress.finish()
    ctx = CheckContext(policy=policy, now=now or datetime.now(UTC))
    active = rules.for_scanner(SCANNER)
    findings: list[Finding] = []
    evaluated = 0
    for outcome in outcomes:
        if outcome.facts is None:
            errors.append(ScanError(target=outcome.target.raw, message=outcome.error or "no facts"))
            continue
        evaluated += 1
        findings.extend(evaluate(active, outcome.facts, ctx))
    stats = {
        "targets_read": len(lines),
        "targets_evaluated": evaluated,
        "targets_duplicate": duplicates,
        "targets_rejected": len(lines) - evaluated - duplicates,
        "profile": policy.id,
        "rules": len(active),
    }
    found = {} if evaluated else {line.text: "no endpoint that answered" for line in lines}
    if not evaluated and not errors:
        errors.append(unrecognised_error(SCANNER, found))
    result = ScanResult(scanner=SCANNER, targets=tuple(line.text for line in lines), findings=tuple(findings),
                        errors=tuple(errors), stats=stats,
                        coverage=Coverage(recognised={"endpoint": evaluated}, found=found), started_at=started)
    return result.model_copy(update={"finished_at": datetime.now(UTC)})


__all__ = ["EndpointScanRequest", "load_endpoint_rules", "scan_endpoints"]
