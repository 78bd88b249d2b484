"""Catalog use cases: load an edition with its rule coverage, export it, verify it against its text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

import orjson

from csmguard.catalog.export import catalog_records, to_csv, to_markdown, to_xlsx, to_yaml
from csmguard.catalog.loader import load_catalog
from csmguard.catalog.model import Catalog
from csmguard.catalog.oscal import oscal_catalog
from csmguard.catalog.source_text import normalize, source_text, split_provisions
from csmguard.domain import Lang, Level
from csmguard.rules.loader import RuleSet, load_rules


class CatalogFormat(StrEnum):
    """The formats ``csmguard catalog export`` writes."""

    JSON = "json"
    YAML = "yaml"
    CSV = "csv"
    XLSX = "xlsx"
    MARKDOWN = "markdown"
    OSCAL = "oscal"


@dataclass(frozen=True)
class CatalogView:
    """A catalog edition together with the rules that test its requirements."""

    catalog: Catalog
    rules: RuleSet

    @property
    def coverage(self) -> dict[str, list[str]]:
        """Requirement ID → rule IDs."""
        return self.rules.coverage()


def open_catalog(edition: str = "csm-17") -> CatalogView:
    """Load an edition and all shipped rules, validated against it."""
    catalog = load_catalog(edition)
    return CatalogView(catalog, load_rules(catalog))


def export_catalog(view: CatalogView, fmt: CatalogFormat, lang: Lang) -> bytes:
    """The catalog in ``fmt``; JSON, YAML and OSCAL carry both languages or the one chosen as noted."""
    coverage = view.coverage
    if fmt is CatalogFormat.JSON:
        return orjson.dumps(catalog_records(view.catalog, coverage), option=orjson.OPT_INDENT_2) + b"\n"
    if fmt is CatalogFormat.YAML:
        return to_yaml(view.catalog, coverage).encode("utf-8")
    if fmt is CatalogFormat.CSV:
        return to_csv(view.catalog, coverage, lang).encode("utf-8-sig")
    if fmt is CatalogFormat.XLSX:
        return to_xlsx(view.catalog, coverage, lang)
    if fmt is CatalogFormat.MARKDOWN:
        return to_markdown(view.catalog, coverage, lang).encode("utf-8")
    document = oscal_catalog(view.catalog, lang, coverage, now=datetime.now(UTC))
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


@dataclass(frozen=True)
class VerifyProblem:
    """A difference between the catalog and the guideline text it was made from."""

    node_id: str
    message: str


def verify_catalog_text(catalog: Catalog) -> list[VerifyProblem]:
    """Check that every provision of the source text appears verbatim (white space aside) in exactly
    one catalog node with the same ID, and that every catalog provision comes from the text."""
    problems: list[VerifyProblem] = []
    provisions = split_provisions(source_text(catalog.edition))
    by_id = catalog.by_id()
    for provision in provisions:
        wanted = normalize(provision.text)
        holders = [n.id for n in catalog.provisions() if n.text and normalize(n.text.zh_tw) == wanted]
        if len(holders) != 1:
            problems.append(VerifyProblem(provision.id, f"found in {len(holders)} catalog node(s): {holders}"))
        elif holders[0] != provision.id:
            problems.append(VerifyProblem(provision.id, f"text is held by {holders[0]}"))
        node = by_id.get(provision.id)
        if node is not None and (node.text is None or not node.text.en or node.level is None):
            problems.append(VerifyProblem(provision.id, "lacks English text or level"))
    source_ids = {p.id for p in provisions}
    for node in catalog.provisions():
        if node.id not in source_ids:
            problems.append(VerifyProblem(node.id, "is not a provision of the source text"))
    return problems


# The modal words that set a clause's level (應 shall; 宜/建議 should; 可/得 may).
MODAL_WORDS: dict[Level, tuple[str, ...]] = {
    Level.SHALL: ("應",), Level.SHOULD: ("宜", "建議"), Level.MAY: ("可", "得")}


def verify_rule_clauses(catalog: Catalog, rules: RuleSet) -> list[VerifyProblem]:
    """Check that every rule's clause exists in each provision it names and that the rule's level matches
    the modal word of that clause's text (a rule on a 宜 clause is ``should``, never ``shall``)."""
    problems: list[VerifyProblem] = []
    by_id = catalog.by_id()
    for rule in rules.rules:
        for requirement in rule.requirements:
            node = by_id.get(requirement)
            if node is None or node.level is None or node.text is None:
                problems.append(VerifyProblem(requirement, f"rule {rule.id} names a requirement the catalog lacks"))
                continue
            if rule.clause is None:
                parent = by_id.get(node.parent) if node.parent else None
                # an item takes the modal word of the paragraph that lists it ("…宜採行以下…：(1) …")
                lead = parent.text.zh_tw if parent is not None and parent.text is not None and node.item else ""
                level, words = node.level, lead + node.text.zh_tw
            else:
                clauses = [c for c in node.weaker_clauses if c.level is rule.clause]
                if not clauses:
                    problems.append(VerifyProblem(requirement, f"rule {rule.id} names a {rule.clause.value} clause "
                                                  "the provision does not have"))
                    continue
                level, words = rule.clause, clauses[0].text.zh_tw
            if rule.level is not None and rule.level.strength > level.strength:
                problems.append(VerifyProblem(requirement, f"rule {rule.id} is {rule.level.value} but the clause it "
                                              f"tests is {level.value}"))
            if not any(word in words for word in MODAL_WORDS.get(level, ())):
                problems.append(VerifyProblem(requirement, f"rule {rule.id}: the {level.value} clause's text has no "
                                              f"modal word {'/'.join(MODAL_WORDS.get(level, ()))}"))
    return problems
