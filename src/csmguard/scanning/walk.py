"""Walks source trees with sensible ignores and a size cap, reporting what it skipped and why."""

from __future__ import annotations

import fnmatch
import os
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

    Symbolic links are not followed, so a tree cannot lead the walk outside itself or into a loop.
    """
    ignored = set(options.ignored_dirs)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if d not in ignored)
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
            if not path.is_file() or path.is_symlink():
                continue
            if stat.st_size > options.max_file_bytes:
                skipped.append(SkippedFile(path, f"larger than {options.max_file_bytes} bytes ({stat.st_size})"))
                continue
            yield WalkedFile(path, relative, stat.st_size)
