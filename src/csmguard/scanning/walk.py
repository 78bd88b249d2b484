"""Walks source trees with sensible ignores and a size cap, reporting what it skipped and why."""

from __future__ import annotations

import fnmatch
import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_IGNORED_DIRS = (
    ".git", ".hg", ".svn", "node_modules", "build", ".gradle", ".idea", ".dart_tool", "Pods",
    "DerivedData", ".build", "__pycache__", ".venv", "venv", ".terraform", "dist", "out", "generated",
    ".cxx", ".externalNativeBuild",
)
DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class WalkedFile:
    """A file found by the walk: its path and its path relative to the walked root."""

    path: Path
    relative: str
    size: int


@dataclass(frozen=True, slots=True)
class SkippedFile:
    """A file the walk did not return, with the reason."""

    path: Path
    reason: str


@dataclass(frozen=True)
class WalkOptions:
    """What to leave out: directory names, glob patterns on relative paths, and a size cap."""

    ignored_dirs: Sequence[str] = DEFAULT_IGNORED_DIRS
    ignored_globs: Sequence[str] = ()
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES


def walk_files(root: Path, options: WalkOptions, skipped: list[SkippedFile]) -> Iterator[WalkedFile]:
    """Yield the regular files below ``root`` in a stable order; oversized files go to ``skipped``.

    Symbolic links are never followed, so a tree cannot lead the walk outside itself or into a loop. A link
    that points inside the tree is left out silently (what it points to is walked in its own place); a link
    that points outside the tree, or nowhere, goes to ``skipped``: its target is not part of the scan.
    """
    ignored = set(options.ignored_dirs)
    resolved_root = root.resolve()
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        kept_dirs = []
        for name in sorted(dirnames):
            path = Path(dirpath, name)
            if path.is_symlink():
                _note_link(path, resolved_root, skipped)
            elif name not in ignored:
                kept_dirs.append(name)
        dirnames[:] = kept_dirs
        for name in sorted(filenames):
            path = Path(dirpath, name)
            relative = path.relative_to(root).as_posix()
            if any(fnmatch.fnmatch(relative, pattern) for pattern in options.ignored_globs):
                continue
            try:
                stat = path.lstat()
            except OSError as exc:
                skipped.append(SkippedFile(path, f"cannot stat: {exc.strerror}"))
                continue
            if path.is_symlink():
                _note_link(path, resolved_root, skipped)
                continue
            if not path.is_file():
                continue
            if stat.st_size > options.max_file_bytes:
                skipped.append(SkippedFile(path, f"larger than {options.max_file_bytes} bytes ({stat.st_size})"))
                continue
            yield WalkedFile(path, relative, stat.st_size)


def _note_link(path: Path, root: Path, skipped: list[SkippedFile]) -> None:
    """Record a symbolic link that leads out of ``root`` (or nowhere) as skipped; one inside is just left out."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        skipped.append(SkippedFile(path, "symbolic link to nothing (or a loop); not followed"))
        return
    if not target.is_relative_to(root):
        skipped.append(SkippedFile(path, "symbolic link to outside the scanned folder; not followed"))


def files_below(root: Path, suffixes: tuple[str, ...], skipped: list[SkippedFile]) -> list[Path]:
    """The files below folder ``root`` whose lower-cased name ends with one of ``suffixes``, in name order,
    found by :func:`walk_files` (no directory ignored, no size cap: the reader applies its own), so that no
    symbolic link leads a scan outside the folder; links left out go to ``skipped``."""
    options = WalkOptions(ignored_dirs=(), max_file_bytes=sys.maxsize)
    return sorted(w.path for w in walk_files(root, options, skipped) if w.path.name.lower().endswith(suffixes))
