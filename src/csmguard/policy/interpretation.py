"""docs/interpretation.md, generated from data: for every provision of the catalog, in zh-TW and English, what
CSM Guard checks (rule IDs, with the clause and basis of each), the firm-policy settings its checks use, and what
it leaves to people (the manual part and the evidence a person attests with). A test keeps the committed file
equal to this output: ``python -m csmguard.policy.interpretation > docs/interpretation.md``."""

from __future__ import annotations

from csmguard.catalog.loader import load_catalog
from csmguard.catalog.model import Catalog, CheckMethod
from csmguard.domain import Basis, Level
from csmguard.policy.settings import setting_specs
from csmguard.rules.loader import RuleSet, load_rules

_LEVEL = {Level.SHALL: ("應", "shall"), Level.SHOULD: ("宜", "should"), Level.MAY: ("可", "may")}
_BASIS = {Basis.TEXT: ("條文", "text"), Basis.FIRM_POLICY: ("公司政策", "firm policy"),
          Basis.GOOD_PRACTICE: ("良好實務", "good practice")}
_METHOD = {
    CheckMethod.AUTOMATED: ("可由檢查自動判定；人員確認檢查涵蓋範圍",
                            "decided by the checks; a person confirms what they cover"),
    CheckMethod.HYBRID: ("檢查涵蓋部分，其餘由人員以聲明及佐證判斷",
                         "the checks cover part; a person judges the rest with an attestation and evidence"),
    CheckMethod.MANUAL: ("全由人員以聲明及佐證判斷", "judged by a person with an attestation and evidence"),
}


def render_interpretation(catalog: Catalog, rules: RuleSet) -> str:
    """The markdown text of docs/interpretation.md."""
    by_requirement: dict[str, list[str]] = {}
    for rule in sorted(rules.rules, key=lambda r: r.id):
        if rule.deprecated:
            continue
        level_zh, level_en = _LEVEL.get(rule.level or Level.SHALL, ("", ""))
        basis_zh, basis_en = _BASIS[rule.basis]
        settings = f"; settings: {', '.join(rule.settings)}" if rule.settings else ""
        line = (f"  - `{rule.id}` {rule.title.zh_tw} / {rule.title.en} — {level_zh} {level_en}; "
                f"{basis_zh} / {basis_en}{settings}")
        for requirement in rule.requirements:
            by_requirement.setdefault(requirement, []).append(line)
    settings_of: dict[str, list[str]] = {}
    for spec in setting_specs():
        settings_of.setdefault(spec.requirement, []).append(
            f"  - `{spec.name}` (default {spec.default!r}): {spec.meaning.zh_tw} / {spec.meaning.en}")
    out = ["# 條文解讀：CSM Guard 檢查什麼、依據為何、留待人員判斷者 / Interpretation: what CSM Guard checks, on what "
           "basis, and what it leaves to people", "",
           "本文件由 `python -m csmguard.policy.interpretation` 自規則與設定資料產生，測試確保與程式一致。"
           "依據：「條文」為指引文字；「公司政策」為指引未定之期限或門檻，由公司確認或變更（`csmguard policy`）；"
           "「良好實務」為標準或後繼版本，公司未採行時僅供參考。", "",
           "Generated from the rule and setting data by `python -m csmguard.policy.interpretation`; a test keeps it "
           "current. Basis: *text* is the guideline's words; *firm policy* is a period or threshold the text leaves "
           "to the firm, confirmed or changed with `csmguard policy`; *good practice* is a standard or a successor "
           "edition, for information unless the firm adopts it.", ""]
    for node in catalog.nodes:
        if node.level is None or node.text is None:
            continue
        level_zh, level_en = _LEVEL.get(node.level, ("不評估", f"not assessed ({node.level.value})"))
        out += [f"## {node.id} {node.title.zh_tw} / {node.title.en}", "",
                f"- 強度 / Level: {level_zh} {level_en}"
                + "".join(f"; {_LEVEL[c.level][0]} {_LEVEL[c.level][1]}: {c.text.zh_tw}" for c in node.weaker_clauses),
                f"- 條文 / Text: {node.text.zh_tw}"]
        checks = by_requirement.get(node.id)
        out.append("- CSM Guard 檢查 / Checks:" + ("" if checks else " 無自動檢查 / none"))
        out += checks or []
        if node.id in settings_of:
            out.append("- 公司政策設定 / Firm-policy settings:")
            out += settings_of[node.id]
        if not node.level.assessable:
            out += ["- 留待人員 / Left to people: 定義、範圍或目的條文，不單獨評估；其範圍以適用性問題判斷 / "
                    "a definition, scope or purpose provision, not assessed itself; its scope is decided by the "
                    "scope questions", ""]
            continue
        method_zh, method_en = _METHOD[node.check] if node.check else ("由人員判斷", "judged by a person")
        evidence = "；".join(e.zh_tw for e in node.evidence) or "—"
        evidence_en = "; ".join(e.en for e in node.evidence) or "—"
        out += [f"- 留待人員 / Left to people: {method_zh} / {method_en}",
                f"  - 佐證 / Evidence: {evidence} / {evidence_en}", ""]
    return "\n".join(out)


def main() -> None:
    """Print docs/interpretation.md for the shipped catalog and rules."""
    catalog = load_catalog()
    print(render_interpretation(catalog, load_rules(catalog)), end="")


if __name__ == "__main__":
    main()
