"""The crawler reads at most the byte cap of any answer and refuses a sitemap with entities (127.0.0.1 only)."""

from __future__ import annotations

from csmguard.scanners.site.crawl import CrawlOptions, crawl
from csmguard.scanners.site.platforms import load_platforms
from csmguard.scanning.budget import MAX_HTTP_BODY_BYTES
from tests.hostile.servers import HUGE_PAGE_BYTES, hostile_site


def test_a_2_gb_page_is_read_up_to_the_cap_and_the_cut_is_reported() -> None:
    with hostile_site() as (origin, server):
        outcome = crawl(origin + "/", load_platforms(), CrawlOptions(allow_private=True, use_sitemap=True))
        sent = server.state.sent
    assert [p.url for p in outcome.pages] == [origin + "/"]
    cut = [message for url, message in outcome.problems if url == origin + "/"]
    assert cut and "MAX_HTTP_BODY_BYTES" in cut[0]
    # The server stops being read soon after the cap: socket buffers hold a few MB, not the 2 GB it offers.
    assert sent < MAX_HTTP_BODY_BYTES + 64 * 1024 * 1024 < HUGE_PAGE_BYTES
    # The billion-laughs sitemap was refused, so it added no page.
    assert outcome.stats["from_sitemap"] == 0
