"""Uploaded files: saved to a private temporary folder under a size cap, checked for type and for zip bombs
before any service sees them. A refused upload leaves nothing behind."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath, PurePosixPath
from typing import BinaryIO

from anyio import CapacityLimiter, to_thread
from starlette.datastructures import UploadFile

from csmguard.scanning.safezip import SafeZip, SafeZipError, ZipLimits

_CHUNK = 1 << 20
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
ZIP_SUFFIXES = frozenset({".zip", ".apk", ".aab", ".ipa", ".xlsx", ".docx", ".pptx", ".jar"})
# Content checks for suffixes whose files announce themselves.
MAGIC: dict[str, tuple[bytes, ...]] = {
    ".pdf": (b"%PDF",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    **{suffix: ZIP_MAGIC for suffix in ZIP_SUFFIXES},
}


@dataclass(frozen=True)
class UploadPolicy:
    """What one upload field accepts."""

    suffixes: frozenset[str]
    max_bytes: int
    max_unpacked_bytes: int
    max_ratio: float


class UploadRejected(Exception):
    """An upload that was refused; ``key`` names the message, ``detail`` says what was wrong."""

    def __init__(self, key: str, detail: str = "") -> None:
        super().__init__(f"{key}: {detail}")
        self.key = key
        self.detail = detail


def safe_name(filename: str | None) -> str:
    """The uploaded file's base name without folders or odd characters (never empty)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    cleaned = "".join(ch for ch in name if ch.isalnum() or ch in "._- ()[]").strip(" .")
    return cleaned[:200] or "upload"


def _suffix(name: str) -> str:
    lowered = name.lower()
    return ".tar.gz" if lowered.endswith(".tar.gz") else PurePath(lowered).suffix


def check_zip(path: Path, policy: UploadPolicy) -> None:
    """Refuse an archive that is not a zip, has unsafe names, or unpacks too far (every entry is inflated,
    chunk by chunk without being kept, so headers that lie about sizes are caught too, in bounded memory:
    the check runs in the server process)."""
    limits = ZipLimits(max_entry_bytes=policy.max_unpacked_bytes, max_total_bytes=policy.max_unpacked_bytes,
                       max_ratio=policy.max_ratio)
    try:
        with SafeZip(path, limits) as archive:
            for entry in archive.entries():
                if not entry.name.endswith("/"):
                    archive.verify(entry.name)
    except SafeZipError as error:
        raise UploadRejected("upload_bad_archive", error.message + (f" ({error.entry})" if error.entry else "")) \
            from error


def _copy(source: BinaryIO, target: Path, max_bytes: int) -> int:
    size = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise UploadRejected("upload_too_large")
            out.write(chunk)
    return size


def receive_file(source: BinaryIO, filename: str | None, folder: Path, policy: UploadPolicy) -> Path:
    """Copy an uploaded file (read in chunks, never whole) into ``folder`` and check it; the path. Blocking:
    call it from a worker thread (see :func:`receive`)."""
    name = safe_name(filename)
    suffix = _suffix(name)
    if suffix not in policy.suffixes:
        raise UploadRejected("upload_wrong_type", f"{suffix or name} ({', '.join(sorted(policy.suffixes))})")
    target = folder / name
    size = _copy(source, target, policy.max_bytes)
    if size == 0:
        raise UploadRejected("upload_empty")
    with target.open("rb") as handle:
        head = handle.read(16)
    expected = MAGIC.get(suffix)
    if expected and not head.startswith(expected):
        raise UploadRejected("upload_wrong_type", f"{name}: the content is not {suffix[1:].upper()}")
    if suffix in ZIP_SUFFIXES:
        check_zip(target, policy)
    return target


async def receive(upload: UploadFile, folder: Path, policy: UploadPolicy,
                  limiter: CapacityLimiter | None = None) -> Path:
    """Save ``upload`` into ``folder`` (a temporary folder the caller removes) and check it, in a worker
    thread (under ``limiter``, else the request handlers' limit) so the event loop keeps serving; the path.
    The multipart parser has already spooled the body to a temporary file (the size guard capped it)."""
    return await to_thread.run_sync(receive_file, upload.file, upload.filename, folder, policy, limiter=limiter)


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A private temporary folder, removed with everything in it when the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="csmguard-upload-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


NAME_MAX_BYTES = 255  # longest file or folder name most file systems take (Linux NAME_MAX)


def _extraction_plan(names: list[str]) -> list[tuple[str, PurePosixPath]]:
    """Each file entry with its relative path, after refusing names no file system folder can hold: a name
    part over ``NAME_MAX_BYTES``, or a path that is a file in one entry and a folder in another."""
    plan: list[tuple[str, PurePosixPath]] = []
    folders: dict[PurePosixPath, str] = {}
    files: dict[PurePosixPath, str] = {}
    for name in names:
        relative = PurePosixPath(*[part for part in PurePosixPath(name.replace("\\", "/")).parts
                                   if part not in ("", ".")])
        if name.endswith("/") or not relative.parts:
            continue
        for part in relative.parts:
            if len(part.encode("utf-8")) > NAME_MAX_BYTES:
                raise UploadRejected("upload_bad_entry", f"{name}: a name longer than {NAME_MAX_BYTES} bytes")
        for parent in relative.parents:
            if parent.parts and parent in files:
                raise UploadRejected("upload_bad_entry",
                                     f"{name}: '{parent}' is a file in entry {files[parent]} and a folder here")
            folders.setdefault(parent, name)
        if relative in folders:
            raise UploadRejected("upload_bad_entry",
                                 f"{name}: a file where entry {folders[relative]} needs a folder of that name")
        files[relative] = name
        plan.append((name, relative))
    return plan


def extract_zip(path: Path, folder: Path, policy: UploadPolicy) -> Path:
    """Unpack a checked zip into ``folder`` (entry names were checked by the safe reader); the folder. An
    entry that cannot be written (clashing or over-long names, or any other file-system refusal) is an
    ``UploadRejected`` naming it; the caller removes ``folder``."""
    limits = ZipLimits(max_entry_bytes=policy.max_unpacked_bytes, max_total_bytes=policy.max_unpacked_bytes,
                       max_ratio=policy.max_ratio)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with SafeZip(path, limits) as archive:
            for name, relative in _extraction_plan([entry.name for entry in archive.entries()]):
                content = archive.read(name)
                target = folder.joinpath(*relative.parts)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(content)
                except OSError as error:
                    raise UploadRejected("upload_bad_entry", f"{name}: {error.strerror or error}") from error
    except SafeZipError as error:
        raise UploadRejected("upload_bad_archive", error.message + (f" ({error.entry})" if error.entry else "")) \
            from error
    return folder
