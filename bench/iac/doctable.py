"""``python -m bench.iac.doctable``: rewrite the IAC rule table of docs/iac-scanner.md from the rule YAML
(the single source of titles, severities, requirements, basis and references); tests check it is current."""

from __future__ import annotations

from pathlib import Path

from csmguard.rules.loader import RuleSet
from csmguard.rules.model import Rule
from csmguard.services.iac_scan import load_iac_rules

DOC = Path(__file__).resolve().parents[2] / "docs" / "iac-scanner.md"
HEADER = ("| Rule | Title | 標題 | Severity | Requirements | Basis | CSA CCM v4 | ISO/IEC 27017 | Checkov | "
          "Prowler, KICS and notes |")


def _cell(values: tuple[str, ...]) -> str:
    return ", ".join(values) if values else "— (none)"


def _basis(rule: Rule) -> str:
    clause = f" ({rule.clause.value})" if rule.clause is not None else ""
    return f"{rule.basis.value}{clause}"


def render(rules: RuleSet) -> str:
    """The rule table in Markdown, one row per active IAC rule in ID order."""
    rows = [HEADER, "|" + "---|" * HEADER.count(" | ") + "---|"]
    for rule in rules.for_scanner("iac"):
        refs = rule.references
        rows.append(f"| {rule.id} | {rule.title.en} | {rule.title.zh_tw} | {rule.severity.value} | "
                    f"{', '.join(rule.requirements)} | {_basis(rule)} | {_cell(refs.ccm)} | {_cell(refs.iso27017)} | "
                    f"{_cell(refs.checkov)} | {'; '.join(refs.other).replace('|', '/') or '—'} |")
    return "\n".join(rows) + "\n"


def current_table(text: str) -> str:
    """The table in the document: from its header line to the first blank line."""
    start = text.index("| Rule | Title |")
    end = text.index("\n\n", start)
    return text[start:end + 1]


def main() -> None:
    """Rewrite the table in place."""
    text = DOC.read_text(encoding="utf-8")
    DOC.write_text(text.replace(current_table(text), render(load_iac_rules())), encoding="utf-8")


if __name__ == "__main__":
    main()
