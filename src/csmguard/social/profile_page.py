"""Reads a saved profile page of an official account: does it show the organization's name and a contact?"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from csmguard.social.extract import main_text

_CONTACTS = (
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("phone", re.compile(r"(?<!\d)(?:\+886[\s-]?|\(0\d{1,2}\)\s?|0)\d{1,3}[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\d)")),
    ("website", re.compile(r"https?://[^\s<>\"']+|www\.[A-Za-z0-9.-]+\.[A-Za-z]{2,}")),
    ("line", re.compile(r"LINE\s*(?:ID)?\s*[:：]\s*@?[\w.-]+", re.IGNORECASE)),
)
PAGE_SUFFIXES = (".html", ".htm", ".txt", ".md")


@dataclass(frozen=True, slots=True)
class ProfilePage:
    """What a saved profile page shows: which of the organization's names, and which contacts."""

    path: str
    names_found: tuple[str, ...]
    contacts: tuple[tuple[str, str], ...]
    excerpt: str


def page_text(path: Path) -> str:
    """The readable text of a saved page (HTML main text, or the file as text)."""
    raw = path.read_text(encoding="utf-8", errors="strict")
    return main_text(raw) if path.suffix.lower() in (".html", ".htm") else raw


def read_profile_page(path: Path, org_names: tuple[str, ...]) -> ProfilePage:
    """Read a saved page and find the organization's names and contact details on it."""
    content = page_text(path)
    folded = re.sub(r"\s+", "", content).casefold()
    names = tuple(name for name in org_names if name and re.sub(r"\s+", "", name).casefold() in folded)
    contacts: list[tuple[str, str]] = []
    for kind, pattern in _CONTACTS:
        match = pattern.search(content)
        if match:
            contacts.append((kind, match.group(0).strip()))
    return ProfilePage(str(path), names, tuple(contacts), content[:200].replace("\n", " "))


def find_profile_page(folder: Path, platform: str, handle: str) -> Path | None:
    """The saved page of an account: ``FOLDER/<platform>/<handle>.html`` (or .htm, .txt, .md)."""
    clean = handle.lstrip("@")
    for name in (handle, clean):
        for suffix in PAGE_SUFFIXES:
            candidate = folder / platform / f"{name}{suffix}"
            if candidate.is_file():
                return candidate
    return None
