"""The checks of the website rules: pure functions from SiteFacts to findings (explicit registry below)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from csmguard.domain import Finding, FindingStatus, Location, Target, text
from csmguard.domain.finding import JsonValue
from csmguard.rules.model import Rule
from csmguard.scanners.site.facts import BrowserObservation, PageFacts, PromptKind, SiteFacts, SocialLink
from csmguard.scanners.site.wording import PromptWording, load_wording

# The literal text of confirm('…') in an onclick attribute, and what follows it: "+" means the text goes on
# beyond the literal (a variable, another string), so the literal alone cannot fail the wording.
_CONFIRM_TEXT = re.compile(r"""confirm\s*\(\s*(['"`])(.*?)\1\s*(\+?)""", re.S)
_EXCERPT = 300

DEFAULT_CONTACT_PATTERNS = (
    r"(?:\(0\d{1,2}\)|0\d{1,2})[\s-]?\d{3,4}[\s-]?\d{3,4}",  # landline, e.g. (02) 2345-6789
    r"0800[\s-]?\d{3}[\s-]?\d{3}",  # toll-free
    r"\+886[\s-]?\d{1,2}[\s-]?\d{3,4}[\s-]?\d{3,4}",
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}",
    r"09\d{2}[\s-]?\d{3}[\s-]?\d{3}",
)


@dataclass(frozen=True)
class SiteCheckContext:
    """What the checks need besides the facts: the website scanned (the findings' target), the organization's
    names, contact patterns, prompt wording."""

    target: Target
    org_names: tuple[str, ...]
    contact_patterns: tuple[str, ...]
    wording: PromptWording = field(default_factory=load_wording)

    def says_outside(self, content: str) -> str | None:
        """The accepted phrasing in a prompt's text (the destination is not the organization's website)."""
        return self.wording.says_outside(content, self.org_names)


def _link_evidence(link: SocialLink) -> dict[str, JsonValue]:
    evidence: dict[str, JsonValue] = {"platform": link.platform, "href": link.href[:300], "page": link.page_url[:300],
                                      "link_text": link.text, "found_in": link.source}
    if link.via_interstitial or link.via_redirect:
        evidence["social_url"] = link.target_url[:300]
    if link.via_redirect:
        evidence["redirects_to"] = link.via_redirect[:300]
    if link.target_blank:
        evidence["target_blank"] = True
    return evidence


def _excerpt(content: str, phrase: str | None) -> str:
    """At most 300 characters of a prompt's text: around the accepted phrase when there is one."""
    if len(content) <= _EXCERPT:
        return content
    at = content.find(phrase) if phrase else -1
    start = max(0, min(at - 100, len(content) - _EXCERPT)) if at >= 0 else 0
    return content[start:start + _EXCERPT]


def _judge_wording(kind: str, content: str, ctx: SiteCheckContext,
                   complete: bool = True) -> tuple[FindingStatus, str, str, str]:
    """(status, how, prompt text, reason) for a prompt of ``kind`` that was shown with ``content``: it passes
    only when it says the destination is not the organization's own website (CSM-11.2)."""
    phrase = ctx.says_outside(content)
    if phrase:
        return FindingStatus.PASS, kind, _excerpt(content, phrase), f"{kind} shown, says '{phrase}'"
    shown = _excerpt(content, None)
    if not content.strip():
        return FindingStatus.UNKNOWN, kind, "", f"{kind} shown, but it has no text to read"
    if not complete:
        return (FindingStatus.UNKNOWN, kind, shown,
                f"{kind} text is built at run time and its fixed part does not say the destination is outside "
                "the organization's website; run with --browser to read it whole")
    cue = ctx.wording.cue(content)
    if cue and not ctx.org_names:
        return (FindingStatus.UNKNOWN, kind, shown,
                f"{kind} speaks of leaving ('{cue}') but not in an accepted phrasing; it may name the firm: "
                "give --org-name to decide")
    return (FindingStatus.FAIL, kind, shown,
            f"{kind} shown, but it does not tell the user that the destination is not the organization's own "
            "website (CSM-11.2)")


def _static_verdict(link: SocialLink, page: PageFacts | None, pages: dict[str, PageFacts],
                    ctx: SiteCheckContext) -> tuple[FindingStatus, str, str, str]:
    """(status, how, prompt text, reason) from the HTML and scripts alone."""
    if link.via_interstitial:
        inter = pages.get(link.via_interstitial)
        if inter is None:
            return FindingStatus.UNKNOWN, "interstitial", "", "the same-site interstitial page was not crawled"
        status, how, prompt, reason = _judge_wording("interstitial", inter.text, ctx,
                                                     complete=not inter.script_builds_links)
        if status is FindingStatus.UNKNOWN and not inter.text.strip():
            reason = "the interstitial page shows no text without scripts; run with --browser to read it"
        return status, how, prompt, reason
    confirm = _CONFIRM_TEXT.search(link.onclick) if "confirm" in link.onclick else None
    if confirm:
        literal = confirm.group(2)
        complete = not confirm.group(3) and "${" not in literal
        status, how, prompt, reason = _judge_wording("confirm", literal, ctx, complete=complete)
        return status, how, prompt, reason.replace("confirm shown", "the link's onclick calls confirm()")
    if link.source == "script":
        return FindingStatus.UNKNOWN, "", "", "the link is built by a script; run with --browser to see it clicked"
    if page is not None and (page.script_confirms or page.has_dialog_markup or page.script_handles_clicks):
        return (FindingStatus.UNKNOWN, "", "",
                "the page's scripts may show a prompt (confirm(), dialog markup or click handlers); "
                "run with --browser to decide")
    note = " (target=_blank alone is not a prompt)" if link.target_blank else ""
    if link.via_redirect:
        note += f" (the same-site URL redirects straight to {link.via_redirect[:120]})"
    return (FindingStatus.FAIL, "", "",
            f"the link navigates directly: no confirm(), modal or interstitial on the page{note}")


def _browser_verdict(obs: BrowserObservation, ctx: SiteCheckContext) -> tuple[FindingStatus, str, str, str]:
    if obs.prompt in (PromptKind.CONFIRM, PromptKind.MODAL, PromptKind.INTERSTITIAL):
        status, how, prompt, reason = _judge_wording(obs.prompt.value, obs.prompt_text, ctx)
        if obs.reason:
            reason += f" ({obs.reason})"
        return status, how, prompt, reason
    if obs.navigated_to and not obs.reason.startswith("went to a same-site"):
        return FindingStatus.FAIL, "", "", obs.reason
    return FindingStatus.UNKNOWN, "", "", obs.reason


def _interstitial_pages(facts: SiteFacts, ctx: SiteCheckContext) -> dict[str, str]:
    """Same-site pages that links go through and that say the destination is outside the organization's
    website: URL → the phrase found. The links on such a page are behind its warning."""
    pages = {p.url: p for p in facts.pages}
    out: dict[str, str] = {}
    for link in facts.links():
        page = pages.get(link.via_interstitial or "")
        if page is not None:
            phrase = ctx.says_outside(page.text)
            if phrase:
                out[page.url] = phrase
    return out


def leave_site_prompt(rule: Rule, facts: SiteFacts, ctx: SiteCheckContext) -> list[Finding]:
    """CSM-11.2: every link to a social platform warns the user before leaving the site."""
    target = ctx.target
    pages = {p.url: p for p in facts.pages}
    interstitials = _interstitial_pages(facts, ctx)
    observations = {(o.page_url, o.href): o for o in facts.observations}
    findings: list[Finding] = []
    links = facts.links()
    # Links the browser found only in the rendered page (built by scripts) are added to the static ones.
    known = {(link.page_url, link.href) for link in links}
    for seen in facts.observations:
        if (seen.page_url, seen.href) not in known:
            links.append(SocialLink(page_url=seen.page_url, href=seen.href, target_url=seen.href,
                                    platform=seen.platform, source="browser"))
    for link in links:
        obs = observations.get((link.page_url, link.href))
        if link.page_url in interstitials:
            obs = None
            status, how = FindingStatus.PASS, "interstitial"
            prompt = _excerpt(pages[link.page_url].text, interstitials[link.page_url])
            reason = f"the link is on the interstitial page, which says '{interstitials[link.page_url]}'"
        elif obs is not None:
            status, how, prompt, reason = _browser_verdict(obs, ctx)
        else:
            status, how, prompt, reason = _static_verdict(link, pages.get(link.page_url), pages, ctx)
            if facts.browser_used and status is not FindingStatus.PASS and link.source != "browser":
                reason += "; the browser did not reach this link"
        evidence = _link_evidence(link)
        evidence.update({"decided_by": "browser" if obs is not None else "static", "reason": reason})
        if how:
            evidence["prompt"] = how
        if prompt:
            evidence["prompt_text"] = prompt[:_EXCERPT]
        if obs is not None and obs.screenshot:
            evidence["screenshot"] = obs.screenshot
        if obs is not None and obs.navigated_to:
            evidence["navigated_to"] = obs.navigated_to[:300]
        label = link.platform or "social media"
        message = {
            FindingStatus.PASS: text(f"連至 {label} 的連結會先提示使用者（{how}）",
                                     f"The link to {label} warns the user first ({how})"),
            FindingStatus.FAIL: (
                text(f"連至 {label} 的連結之提示（{how}）未告知使用者該連結非組織本身之網站：{link.href[:120]}",
                     f"The {how} shown for the link to {label} does not tell the user that the destination is not "
                     f"the organization's own website: {link.href[:120]}") if how else
                text(f"連至 {label} 的連結未提示即離開網站：{link.href[:120]}",
                     f"The link to {label} leaves the site without a warning: {link.href[:120]}")),
            FindingStatus.UNKNOWN: text(f"無法判斷連至 {label} 的連結是否提示：{reason}",
                                        f"Cannot tell whether the link to {label} warns the user: {reason}"),
        }[status]
        findings.append(rule.finding(status, target, Location(url=link.page_url, resource=link.href[:300]),
                                     message=message, evidence=evidence, key=link.target_url))
    return findings


def official_account_identity(rule: Rule, facts: SiteFacts, ctx: SiteCheckContext) -> list[Finding]:
    """CSM-11.3: a page presenting the official accounts names the organization and gives a contact."""
    target = ctx.target
    findings: list[Finding] = []
    patterns = [re.compile(p) for p in ctx.contact_patterns]
    for page in facts.pages:
        if not page.links:
            continue
        content = f"{page.title} {page.text}"
        name = next((n for n in ctx.org_names if n and n.lower() in content.lower()), None)
        contact_match = next((m for m in (p.search(content) for p in patterns) if m), None)
        contact = contact_match.group(0) if contact_match else None
        evidence: dict[str, JsonValue] = {"organization_name": name, "contact": contact,
                                          "platforms": sorted({link.platform for link in page.links})}
        location = Location(url=page.url)
        if not ctx.org_names:
            findings.append(rule.finding(
                FindingStatus.UNKNOWN, target, location, evidence=evidence, key=page.url,
                message=text("未設定組織名稱（--org-name），無法判斷頁面是否標示組織名稱",
                             "No organization name configured (--org-name); cannot tell whether the page names it")))
            continue
        missing_zh = [label for label, ok in (("組織名稱", name), ("聯絡方式", contact)) if not ok]
        missing_en = [label for label, ok in (("organization name", name), ("contact", contact)) if not ok]
        if missing_en:
            findings.append(rule.finding(
                FindingStatus.FAIL, target, location, evidence=evidence, key=page.url,
                message=text(f"提供官方社群帳號連結的頁面未標示{'及'.join(missing_zh)}：{page.url}",
                             f"The page presenting official accounts lacks the {' and '.join(missing_en)}: "
                             f"{page.url}")))
        else:
            findings.append(rule.finding(
                FindingStatus.PASS, target, location, evidence=evidence, key=page.url,
                message=text(f"頁面標示組織名稱「{name}」及聯絡方式", f"The page names '{name}' and a contact")))
    return findings
