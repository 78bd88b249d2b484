"""Reads zip archives (APK, AAB, IPA, …) safely: entries are read into memory under size caps, never extracted.

Guards against a file that is not a zip or is truncated, entry names that would escape an extraction
folder, zip bombs (per-entry and total uncompressed size caps, a compression-ratio cap, and a check that an
entry does not inflate beyond the size its header declares), and archives with absurd entry counts.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType

from csmguard.scanning.budget import MAX_OFFICE_ENTRY_BYTES, MAX_OFFICE_RATIO, MAX_OFFICE_UNCOMPRESSED_BYTES

_CHUNK = 1 << 20
_XML_PROLOG_BYTES = 4096


class SafeZipError(Exception):
    """An archive, or one entry of it, that cannot be read safely; ``entry`` is None for the whole archive."""

    def __init__(self, archive: str, message: str, entry: str | None = None) -> None:
        self.archive = archive
        self.entry = entry
        self.message = message
        super().__init__(f"{archive}{'!' + entry if entry else ''}: {message}")


@dataclass(frozen=True)
class ZipLimits:
    """The caps applied while reading: per entry, in total, the compression ratio and the number of entries."""

    max_entry_bytes: int = 128 * 1024 * 1024
    max_total_bytes: int = 1024 * 1024 * 1024
    max_ratio: float = 200.0
    ratio_floor_bytes: int = 1024 * 1024
    max_entries: int = 100_000


@dataclass(frozen=True, slots=True)
class ZipEntry:
    """One member of an archive as its central directory describes it."""

    name: str
    size: int
    compressed_size: int


def unsafe_name_reason(name: str) -> str | None:
    """Why an entry name would escape an extraction folder (absolute, drive letter, ``..``), or None."""
    normalized = name.replace("\\", "/")
    if normalized.startswith("/") or (len(normalized) > 1 and normalized[1] == ":"):
        return "absolute path"
    if ".." in PurePosixPath(normalized).parts:
        return "path escapes the archive ('..')"
    if "\x00" in name:
        return "NUL character in the name"
    return None


class SafeZip:
    """A zip archive opened for safe in-memory reading; use as a context manager."""

    def __init__(self, path: Path, limits: ZipLimits | None = None) -> None:
        self.path = path
        self.limits = limits or ZipLimits()
        self._label = str(path)
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise SafeZipError(self._label, f"not a zip archive or truncated: {exc}") from exc
        except OSError as exc:
            raise SafeZipError(self._label, f"cannot read: {exc.strerror or exc}") from exc
        infos = self._zip.infolist()
        if len(infos) > self.limits.max_entries:
            self._zip.close()
            raise SafeZipError(self._label, f"{len(infos)} entries, more than the cap of {self.limits.max_entries}")
        declared = sum(i.file_size for i in infos)
        if declared > self.limits.max_total_bytes:
            self._zip.close()
            raise SafeZipError(self._label, f"declares {declared} uncompressed bytes, more than the cap of "
                                            f"{self.limits.max_total_bytes} (zip bomb?)")
        self._infos = {i.filename: i for i in infos if not i.is_dir()}

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the archive."""
        self._zip.close()

    def entries(self) -> Iterator[ZipEntry]:
        """The file entries in archive order (directories left out)."""
        for info in self._infos.values():
            yield ZipEntry(info.filename, info.file_size, info.compress_size)

    def names(self) -> list[str]:
        """The names of the file entries."""
        return list(self._infos)

    def has(self, name: str) -> bool:
        """Whether the archive has a file entry ``name``."""
        return name in self._infos

    def check_declared(self, name: str, max_bytes: int | None = None) -> zipfile.ZipInfo:
        """The entry ``name`` once its name, declared size and compression ratio pass the caps; SafeZipError if not."""
        info = self._infos.get(name)
        if info is None:
            raise SafeZipError(self._label, "no such entry", name)
        reason = unsafe_name_reason(name)
        if reason:
            raise SafeZipError(self._label, f"unsafe entry name: {reason}", name)
        cap = min(self.limits.max_entry_bytes, max_bytes) if max_bytes is not None else self.limits.max_entry_bytes
        if info.file_size > cap:
            raise SafeZipError(self._label, f"{info.file_size} bytes uncompressed, more than the cap of {cap}", name)
        if (info.file_size > self.limits.ratio_floor_bytes and info.compress_size > 0
                and info.file_size / info.compress_size > self.limits.max_ratio):
            raise SafeZipError(self._label, f"compression ratio {info.file_size / info.compress_size:.0f}:1 is "
                                            f"above the cap of {self.limits.max_ratio:.0f}:1 (zip bomb?)", name)
        return info

    def read(self, name: str, max_bytes: int | None = None) -> bytes:
        """The content of entry ``name`` read into memory under the caps; SafeZipError when unsafe or broken."""
        parts = list(self._stream(name, max_bytes))
        return b"".join(parts)

    def verify(self, name: str, keep: int = 0) -> bytes:
        """Inflate entry ``name`` chunk by chunk without keeping it, so that its size and CRC are checked
        (a header that lies about the size is caught here, in bounded memory); the first ``keep`` bytes."""
        head = b""
        for chunk in self._stream(name, None):
            if len(head) < keep:
                head += chunk[: keep - len(head)]
        return head

    def _stream(self, name: str, max_bytes: int | None) -> Iterator[bytes]:
        info = self.check_declared(name, max_bytes)
        cap = min(self.limits.max_entry_bytes, max_bytes) if max_bytes is not None else self.limits.max_entry_bytes
        if self._read_total + info.file_size > self.limits.max_total_bytes:
            raise SafeZipError(self._label, f"total uncompressed bytes read would pass the cap of "
                                            f"{self.limits.max_total_bytes}", name)
        got = 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    # Never read(-1): zipfile would inflate up to 2 GB in one call before cutting to the
                    # declared size.
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    got += len(chunk)
                    if got > info.file_size or got > cap:
                        raise SafeZipError(self._label, "inflates beyond its declared size (zip bomb?)", name)
                    yield chunk
        except SafeZipError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
            raise SafeZipError(self._label, f"corrupt or truncated entry: {exc}", name) from exc
        except NotImplementedError as exc:
            raise SafeZipError(self._label, f"unsupported compression: {exc}", name) from exc
        except OSError as exc:
            raise SafeZipError(self._label, f"cannot read entry: {exc}", name) from exc
        self._read_total += got


OFFICE_LIMITS = ZipLimits(max_entry_bytes=MAX_OFFICE_ENTRY_BYTES, max_total_bytes=MAX_OFFICE_UNCOMPRESSED_BYTES,
                          max_ratio=MAX_OFFICE_RATIO, max_entries=10_000)


def check_office_archive(path: Path, limits: ZipLimits = OFFICE_LIMITS) -> None:
    """Refuse an office document (DOCX, XLSX: a zip of XML parts) before python-docx or openpyxl reads it:
    SafeZipError when it is not a zip, declares too many or too large parts (a decompression bomb), or a
    part declares a DOCTYPE or entities (billion laughs, XXE; Office never writes them).

    Every part is inflated once here, in bounded memory, because zipfile trusts a part's declared size
    only after inflating up to 2 GB of it in one call: a header that lies is caught by this pass.
    """
    with SafeZip(path, limits) as archive:
        for entry in archive.entries():
            prolog = archive.verify(entry.name, keep=_XML_PROLOG_BYTES)
            is_xml = entry.name.lower().endswith((".xml", ".rels", ".vml"))
            if is_xml and (b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog):
                raise SafeZipError(str(path), "the part declares a DOCTYPE or entities (entity expansion, "
                                              "external entities); refused", entry.name)
