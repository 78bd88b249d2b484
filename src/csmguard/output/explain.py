"""``--explain RULE``: a rule's rationale, examples and remediation as plain text, in one language."""

from __future__ import annotations

from csmguard.domain import Lang
from csmguard.rules.model import Rule

_LABELS = {
    Lang.ZH_TW: {"severity": "嚴重度", "requirements": "條文", "basis": "依據", "why": "說明", "fix": "修正建議",
                 "refs": "參考", "examples": "範例", "fail": "會被報告", "pass": "不會被報告",
                 "none": "（此規則未附範例；見 tests/rules/{id}/ 之測試資料）", "checks": "檢查方式"},
    Lang.EN: {"severity": "Severity", "requirements": "Requirements", "basis": "Basis", "why": "Why",
              "fix": "Remediation", "refs": "References", "examples": "Examples", "fail": "reported",
              "pass": "not reported", "none": "(no example recorded for this rule; see the fixtures in "
                                              "tests/rules/{id}/)", "checks": "How it checks"},
}
_HOW = {
    Lang.ZH_TW: {"flow": "程式模型（語法樹與 DEX）上的資料流檢查：{names}", "condition": "逐行樣式比對",
                 "check": "具名檢查 {name}"},
    Lang.EN: {"flow": "data-flow checks on the program model (syntax trees and DEX): {names}",
              "condition": "line patterns", "check": "named check {name}"},
}


def explain(rule: Rule, lang: Lang) -> str:
    """The explanation of ``rule`` in ``lang``: title, severity, requirements, basis, rationale, how it is
    checked, examples (code it reports and code it leaves alone), remediation and references."""
    labels = _LABELS[lang]
    how = _HOW[lang]
    lines = [f"{rule.id} — {rule.title.get(lang)}",
             f"{labels['severity']}: {rule.severity.value}",
             f"{labels['requirements']}: {' '.join(rule.requirements)}",
             f"{labels['basis']}: {rule.basis.value}"
             + (f" — {rule.basis_note.get(lang)}" if rule.basis_note else ""),
             "", f"{labels['why']}:", f"  {rule.rationale.get(lang)}", "", f"{labels['checks']}:"]
    if rule.flow:
        lines.append("  " + how["flow"].format(names=", ".join(rule.flow)))
    if rule.condition is not None:
        lines.append("  " + how["condition"])
    if rule.check is not None:
        lines.append("  " + how["check"].format(name=rule.check))
    lines += ["", f"{labels['examples']}:"]
    if not rule.examples:
        lines.append("  " + labels["none"].format(id=rule.id))
    for example in rule.examples:
        verdict = labels["fail"] if example.verdict == "fail" else labels["pass"]
        head = f"  [{example.language}, {verdict}]"
        if example.note is not None:
            head += f" {example.note.get(lang)}"
        lines.append(head)
        lines.extend("    " + code_line for code_line in example.code.rstrip("\n").splitlines())
    lines += ["", f"{labels['fix']}:", f"  {rule.remediation.get(lang)}"]
    refs = [*rule.references.cwe, *rule.references.masvs]
    if refs:
        lines += ["", f"{labels['refs']}: {', '.join(refs)}"]
    return "\n".join(lines) + "\n"
