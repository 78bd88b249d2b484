"""The ``csmguard`` command."""

from __future__ import annotations

from typing import Annotated

import typer

from csmguard import __version__
from csmguard.cli.crash import run_guarded
from csmguard.cli.lazy import lazy_group

# Every command group, in the order of the help; each is imported only when it is used.
COMMANDS = {
    "catalog": "csmguard.cli.catalog_cmd:app",
    "scope": "csmguard.cli.scope_cmd:app",
    "init": "csmguard.cli.init_cmd:init",
    "register": "csmguard.cli.register_cmd:build_app()",
    "check": "csmguard.cli.check_cmd:check",
    "attest": "csmguard.cli.attest_cmd:app",
    "exception": "csmguard.cli.exception_cmd:app",
    "task": "csmguard.cli.task_cmd:app",
    "evidence": "csmguard.cli.evidence_cmd:app",
    "policy": "csmguard.cli.policy_cmd:app",
    "due": "csmguard.cli.due_cmd:due",
    "notify": "csmguard.cli.notify_cmd:app",
    "schedule": "csmguard.cli.schedule_cmd:app",
    "scan": "csmguard.cli.scan:app",
    "import": "csmguard.cli.import_cmd:app",
    "schema": "csmguard.cli.schema_cmd:schema",
    "baseline": "csmguard.cli.baseline_cmd:baseline",
    "social": "csmguard.cli.social_cmd:app",
    "watch": "csmguard.cli.watch_cmd:app",
    "assess": "csmguard.cli.assess_cmd:app",
    "report": "csmguard.cli.report_cmd:report",
    "demo": "csmguard.cli.demo_cmd:demo",
    "serve": "csmguard.cli.serve_cmd:serve",
    "worker": "csmguard.cli.worker_cmd:worker",
    "user": "csmguard.cli.user_cmd:app",
    "audit": "csmguard.cli.audit_cmd:app",
}

app = typer.Typer(
    name="csmguard",
    help="CSM Guard — 證券期貨市場相關公會雲端運算、社群媒體、行動裝置資訊安全管控指引 compliance tooling.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    cls=lazy_group(COMMANDS),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"csmguard {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """CSM Guard: the guideline as data, registers, automated checks, assessment and reports."""


def main() -> None:
    """Entry point of the ``csmguard`` console script: no traceback reaches the user (see cli/crash.py)."""
    run_guarded(app)
