"""The evidence store: files kept under ``evidence/ab/cdef…`` named by their SHA-256, verified on read."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from csmguard.domain import LocalizedText, text
from csmguard.domain.errors import InputError

CHUNK = 1 << 20


class EvidenceTamperedError(InputError):
    """A stored evidence file is missing or no longer matches its SHA-256."""


@dataclass(frozen=True)
class EvidenceProblem:
    """One problem of the evidence store: a file ``missing``, ``modified`` or ``unregistered``."""

    sha256: str
    kind: str
    message: LocalizedText
    name: str | None = None
    path: str | None = None


def hash_file(path: Path) -> tuple[str, int]:
    """The SHA-256 (hex) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def blob_path(evidence_dir: Path, sha256: str) -> Path:
    """Where the file with this SHA-256 is kept: ``evidence/ab/cdef…``."""
    return evidence_dir / sha256[:2] / sha256[2:]


def store_file(evidence_dir: Path, source: Path) -> tuple[str, int]:
    """Copy ``source`` into the store (atomically, read-only) and return its SHA-256 and size.

    A file already stored with the same content is left alone; one whose stored copy was altered
    is replaced by the good content."""
    try:
        sha256, size = hash_file(source)
    except OSError as exc:
        raise InputError(str(source), f"cannot read: {exc.strerror}") from exc
    target = blob_path(evidence_dir, sha256)
    if target.is_file() and hash_file(target)[0] == sha256:
        return sha256, size
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, 0o444)
        if target.exists():
            os.chmod(target, 0o644)
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return sha256, size


def read_verified(evidence_dir: Path, sha256: str) -> bytes:
    """The content of a stored file, after checking that it still hashes to ``sha256``."""
    path = blob_path(evidence_dir, sha256)
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise EvidenceTamperedError(str(path), f"evidence {sha256} is missing from the store ({exc.strerror})") from exc
    actual = hashlib.sha256(content).hexdigest()
    if actual != sha256:
        raise EvidenceTamperedError(str(path), f"evidence {sha256} was altered on disk: it now hashes to {actual}")
    return content


def check_blob(evidence_dir: Path, sha256: str, name: str | None = None) -> EvidenceProblem | None:
    """The problem of one registered file, or None when it is present and intact."""
    path = blob_path(evidence_dir, sha256)
    if not path.is_file():
        return EvidenceProblem(sha256, "missing", text(f"佐證檔案遺失：{name or sha256}",
                                                        f"Evidence file missing: {name or sha256}"), name, str(path))
    actual, _ = hash_file(path)
    if actual != sha256:
        return EvidenceProblem(sha256, "modified", text(
            f"佐證檔案遭竄改：{name or sha256}（目前雜湊值 {actual[:12]}…）",
            f"Evidence file altered: {name or sha256} (now hashes to {actual[:12]}…)"), name, str(path))
    return None


def stored_hashes(evidence_dir: Path) -> dict[str, Path]:
    """Every file in the store, by the SHA-256 its path names."""
    out: dict[str, Path] = {}
    if not evidence_dir.is_dir():
        return out
    for prefix in sorted(evidence_dir.iterdir()):
        if not prefix.is_dir() or len(prefix.name) != 2:
            continue
        for blob in sorted(prefix.iterdir()):
            if blob.is_file() and not blob.name.startswith("."):
                out[prefix.name + blob.name] = blob
    return out
