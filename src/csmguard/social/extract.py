"""The main text of a web page: what a person reads, without scripts, navigation and footers."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser

_DROPPED = ("script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside", "form",
            "button", "iframe")
_MAIN = ("main", "article", "[role=main]", "#content", ".content")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def main_text(html: str) -> str:
    """The readable main text of ``html``, one block per line, white space folded."""
    tree = LexborHTMLParser(html)
    for selector in _DROPPED:
        for node in tree.css(selector):
            node.decompose()
    root = None
    for selector in _MAIN:
        root = tree.css_first(selector)
        if root is not None:
            break
    if root is None:
        root = tree.body or tree.root
    if root is None:
        return ""
    raw = root.text(separator="\n", strip=True)
    lines = (_SPACES.sub(" ", line).strip() for line in raw.splitlines())
    return "\n".join(line for line in lines if line)
