"""``csmguard scan endpoint``: TLS, SSH/SFTP and FTP/FTPS endpoints against the transport policy."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from csmguard.cli.common import LangOption, OutputOption, input_errors_exit
from csmguard.cli.scan_common import (
    BaselineOption,
    FailOnOption,
    FormatOption,
    QuietOption,
    WorkspaceOption,
    finish_scan,
    progress_for,
)
from csmguard.domain import Lang
from csmguard.output import OutputFormat
from csmguard.scanning.gate import FailOn
from csmguard.services.endpoint_scan import EndpointScanRequest, load_endpoint_rules, scan_endpoints


def scan_endpoint(
    targets: Annotated[list[str] | None, typer.Argument(
        help="host[:port], https://host[:port]/path, tls://, sftp://, ftp://, ftps:// (several at once).")] = None,
    targets_file: Annotated[Path | None, typer.Option(
        "--targets-file", "-T", help="A file of targets, one a line; # starts a comment.", dir_okay=False)] = None,
    fmt: FormatOption = OutputFormat.TABLE,
    output: OutputOption = None,
    fail_on: FailOnOption = FailOn.SHALL,
    baseline: BaselineOption = None,
    quiet: QuietOption = False,
    lang: LangOption = Lang.ZH_TW,
    workspace: WorkspaceOption = None,
    concurrency: Annotated[int, typer.Option("--concurrency", "-c", min=1, max=1000,
                                             help="How many targets are probed at once.")] = 20,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help=(
        "Seconds allowed for each network step (connect, handshake, read); a whole target gets 8 times "
        "this."))] = 10.0,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Also scan private, loopback, link-local and other non-public addresses.")] = False,
    try_login: Annotated[bool, typer.Option(
        "--try-login", help="FTP: send USER with a random throwaway name (and a random PASS) before TLS to see "
                            "whether cleartext logins are refused.")] = False,
    ca_file: Annotated[Path | None, typer.Option(
        "--ca-file", help="PEM file of CA certificates to verify chains with instead of the system store.",
        dir_okay=False)] = None,
    profile: Annotated[Path | None, typer.Option(
        "--profile", help="Policy YAML replacing the shipped tw-securities-intermediate profile.",
        dir_okay=False)] = None,
    expiry_warning_days: Annotated[int | None, typer.Option(
        "--expiry-warning-days", min=0, help="Warn (EP-009) when a certificate expires within this many days "
                                             "(profile default 30).")] = None,
    app_backend: Annotated[bool, typer.Option(
        "--app-backend", help="The targets are mobile apps' back ends: also judge article 16.3 (EP-040).")] = False,
) -> None:
    """Check TLS, SFTP and FTP endpoints for articles 5.3, 7.4 and 16.3: protocol versions, key exchange,
    suites, certificate, HSTS, SSH algorithms, FTP without TLS. 傳輸加密端點檢測（第五、七、十六條）。"""
    request = EndpointScanRequest(
        targets=tuple(targets or ()), targets_file=targets_file, timeout=timeout, concurrency=concurrency,
        allow_private=allow_private, try_login=try_login, ca_file=ca_file, profile=profile,
        app_backend=app_backend, expiry_warning_days=expiry_warning_days)
    with input_errors_exit():
        rules = load_endpoint_rules()
        result = scan_endpoints(request, rules=rules, progress=progress_for(quiet, lang))
    finish_scan(result, rules=rules, fmt=fmt, output=output, fail_on=fail_on, baseline=baseline, lang=lang,
                quiet=quiet, workspace=workspace)
