"""Fixtures of the register tests: a fresh workspace with the sample evidence file stored."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from csmguard.services.workspace import add_evidence
from csmguard.workspace import Workspace, init_workspace
from tests.registers.samples import EVIDENCE, SHA


def make_workspace(root: Path) -> Workspace:
    """A new workspace with the samples' evidence file stored."""
    ws = init_workspace(root)
    source = root.parent / f"{root.name}-evidence.txt"
    source.write_bytes(EVIDENCE)
    assert add_evidence(ws, source).sha256 == SHA
    return ws


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = make_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()
