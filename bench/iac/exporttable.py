"""``python -m bench.iac.exporttable``: rewrite the table of exported resource types in docs/iac-scanner.md
from the mapping tables (src/csmguard/scanners/iac/exportmaps/*.yaml); a test checks it is current."""

from __future__ import annotations

from pathlib import Path

from csmguard.scanners.iac.exportmap import load_map

DOC = Path(__file__).resolve().parents[2] / "docs" / "iac-scanner.md"
HEADER = "| Export | Exported type | Judged as | Attributes read |"
_EXPORTS = {"aws": "AWS Config / aws CLI", "azure": "Azure Resource Graph", "gcp": "Cloud Asset Inventory"}


def render() -> str:
    """The table in Markdown: one row per exported type of every provider's table."""
    rows = [HEADER, "|---|---|---|---|"]
    for provider, export in _EXPORTS.items():
        for source_type, targets in load_map(provider).types.items():
            judged = ", ".join(f"`{t.type}`" for t in targets) or "— (read only for what other items refer to)"
            attributes = sorted({name for t in targets for name in t.attributes if name not in {"name", "tags"}})
            rows.append(f"| {export} | `{source_type}` | {judged} | {', '.join(attributes) or '—'} |")
    return "\n".join(rows) + "\n"


def current_table(text: str) -> str:
    """The table in the document: from its header line to the first blank line."""
    start = text.index(HEADER)
    end = text.index("\n\n", start)
    return text[start:end + 1]


def main() -> None:
    """Rewrite the table in place."""
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(text.replace(current_table(text), render()), encoding="utf-8")


if __name__ == "__main__":
    main()
