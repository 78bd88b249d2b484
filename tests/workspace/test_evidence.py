"""The evidence store: content-addressed by SHA-256, verified on read, tampering detected and reported."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from csmguard.evidence import EvidenceTamperedError, blob_path
from csmguard.services import workspace as services
from csmguard.workspace import Workspace, init_workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = init_workspace(tmp_path / "ws")
    yield workspace
    workspace.close()


def _file(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _tamper(path: Path, content: bytes) -> None:
    os.chmod(path, 0o644)
    path.write_bytes(content)


def test_files_are_kept_by_sha256(tmp_path: Path, ws: Workspace) -> None:
    content = "雲端稽核報告 2026".encode()
    sha = hashlib.sha256(content).hexdigest()
    ref = services.add_evidence(ws, _file(tmp_path, "audit.pdf", content))
    assert (ref.sha256, ref.name, ref.size, ref.media_type) == (sha, "audit.pdf", len(content), "application/pdf")
    stored = ws.evidence_dir / sha[:2] / sha[2:]
    assert blob_path(ws.evidence_dir, sha) == stored and stored.read_bytes() == content
    assert not os.access(stored, os.W_OK) or os.geteuid() == 0  # read-only (root may write anyway)
    assert stored.stat().st_mode & 0o777 == 0o444
    # the same content under another name is stored once
    again = services.add_evidence(ws, _file(tmp_path, "copy.pdf", content))
    assert again.sha256 == sha and [r.sha256 for r in services.list_evidence(ws)] == [sha]
    assert services.read_evidence(ws, sha) == content
    assert services.read_evidence(ws, sha[:10]) == content
    assert services.verify_evidence(ws) == []


def test_tampering_is_detected_by_read_and_verify(tmp_path: Path, ws: Workspace) -> None:
    good = services.add_evidence(ws, _file(tmp_path, "a.txt", b"original policy"))
    other = services.add_evidence(ws, _file(tmp_path, "b.txt", b"another file"))
    _tamper(blob_path(ws.evidence_dir, good.sha256), b"altered policy")
    with pytest.raises(EvidenceTamperedError, match="altered on disk"):
        services.read_evidence(ws, good.sha256)
    assert services.read_evidence(ws, other.sha256) == b"another file"
    problems = services.verify_evidence(ws)
    assert [(p.sha256, p.kind, p.name) for p in problems] == [(good.sha256, "modified", "a.txt")]
    assert "a.txt" in problems[0].message.en and "竄改" in problems[0].message.zh_tw


def test_missing_and_unregistered_files_are_reported(tmp_path: Path, ws: Workspace) -> None:
    gone = services.add_evidence(ws, _file(tmp_path, "gone.txt", b"will vanish"))
    os.remove(blob_path(ws.evidence_dir, gone.sha256))
    stray_sha = hashlib.sha256(b"stray").hexdigest()
    stray = blob_path(ws.evidence_dir, stray_sha)
    stray.parent.mkdir(parents=True, exist_ok=True)
    stray.write_bytes(b"stray")
    problems = {(p.sha256, p.kind) for p in services.verify_evidence(ws)}
    assert problems == {(gone.sha256, "missing"), (stray_sha, "unregistered")}
    with pytest.raises(EvidenceTamperedError, match="missing"):
        services.read_evidence(ws, gone.sha256)


def test_adding_the_original_again_repairs_a_tampered_copy(tmp_path: Path, ws: Workspace) -> None:
    source = _file(tmp_path, "p.txt", b"the approved version")
    ref = services.add_evidence(ws, source)
    _tamper(blob_path(ws.evidence_dir, ref.sha256), b"edited")
    assert [p.kind for p in services.verify_evidence(ws)] == ["modified"]
    services.add_evidence(ws, source)
    assert services.verify_evidence(ws) == []
    assert services.read_evidence(ws, ref.sha256) == b"the approved version"


def test_attestation_evidence_survives_only_intact(tmp_path: Path, ws: Workspace) -> None:
    attestation = services.add_attestation(ws, requirement="CSM-10.1", status="implemented",
                                           statement="Policy approved by the board", attested_by="Amy",
                                           evidence=[_file(tmp_path, "policy.pdf", b"%PDF policy")])
    [ref] = attestation.evidence
    assert services.list_attestations(ws)[0].evidence == (ref,)
    _tamper(blob_path(ws.evidence_dir, ref.sha256), b"%PDF forged")
    assert [p.sha256 for p in services.verify_evidence(ws)] == [ref.sha256]
