"""Every SITE rule on its fixture sites (tests/rules/SITE-NNN/{fail,pass}/), served on 127.0.0.1, static pass."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from csmguard.domain import FindingStatus
from csmguard.rules.loader import RuleSet
from csmguard.scanners.site.crawl import CrawlOptions
from csmguard.services.site_scan import SiteOptions, load_site_rules, scan_site
from tests.scanners.site.sitelab import serve

FIXTURES = Path(__file__).resolve().parents[2] / "rules"
RULE_IDS = sorted(p.name for p in FIXTURES.glob("SITE-*") if p.is_dir())


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load_site_rules()


def _pages(folder: Path) -> dict[str, str]:
    pages = {f"/{p.relative_to(folder).as_posix()}": p.read_text(encoding="utf-8") for p in folder.rglob("*.html")}
    pages["/"] = pages["/index.html"]
    return pages


def test_every_rule_has_a_fixture_folder(rules: RuleSet) -> None:
    assert [r.id for r in rules.for_scanner("site")] == RULE_IDS


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_on_its_fixture_sites(rule_id: str, rules: RuleSet) -> None:
    folder = FIXTURES / rule_id
    expected = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    org = (expected["org_name"],) if "org_name" in expected else ("範例證券",)
    for variant in ("fail", "pass"):
        with serve(_pages(folder / variant)) as origin:
            result = scan_site(origin + "/", rules, SiteOptions(crawl=CrawlOptions(allow_private=True),
                                                                org_names=org))
        assert result.errors == ()
        for status_name, status in (("fail", FindingStatus.FAIL), ("pass", FindingStatus.PASS)):
            got = sorted((f.location.resource or f.location.url or "").replace(origin, "")
                         for f in result.findings if f.rule_id == rule_id and f.status is status)
            if rule_id == "SITE-002":
                got = sorted((f.location.url or "").replace(origin, "") for f in result.findings
                             if f.rule_id == rule_id and f.status is status)
            assert got == sorted(expected[status_name].get(variant, [])), (variant, status_name)
