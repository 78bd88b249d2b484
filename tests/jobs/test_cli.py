"""``csmguard worker`` and ``csmguard serve --workers/--job-queue`` refuse a SQLite workspace clearly (exit 2,
the reason in both languages), never a traceback."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from csmguard.cli.main import app
from csmguard.workspace import init_workspace

runner = CliRunner()


def test_worker_and_several_server_processes_need_postgresql(tmp_path: Path) -> None:
    workspace = init_workspace(tmp_path / "ws")
    workspace.close()
    for arguments in (["worker", "-w", str(workspace.root)],
                      ["serve", "-w", str(workspace.root), "--workers", "2"],
                      ["serve", "-w", str(workspace.root), "--job-queue", "procrastinate"]):
        result = runner.invoke(app, arguments)
        assert result.exit_code == 2, (arguments, result.output)
        assert "PostgreSQL" in result.output and "Traceback" not in result.output, result.output
    unknown = runner.invoke(app, ["serve", "-w", str(workspace.root), "--job-queue", "redis"])
    assert unknown.exit_code == 2 and "local or procrastinate" in unknown.output, unknown.output
