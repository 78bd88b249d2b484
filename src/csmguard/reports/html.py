"""The self-contained HTML report (Jinja2, inline CSS and SVG, no external asset) and its print variant."""

from __future__ import annotations

from dataclasses import replace

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from csmguard.reports.basis import basis_sections
from csmguard.reports.charts import FONT, stacked_bars
from csmguard.reports.model import Report


def css_string(value: str) -> Markup:
    """``value`` made safe inside a double-quoted CSS string in a ``<style>`` element."""
    cleaned = "".join(ch for ch in value if ch.isprintable())
    escaped = cleaned.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ").replace(">", "\\3e ")
    return Markup(escaped)  # noqa: S704 - escaped for a CSS string just above


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("csmguard.reports", "templates"),
                      autoescape=select_autoescape(["html", "j2"]), undefined=StrictUndefined)
    env.filters["css_string"] = css_string
    return env


def render_html(report: Report, *, for_pdf: bool = False) -> str:
    """The report as one HTML document; ``for_pdf`` sizes it for A4 pages."""
    template = _environment().get_template("report.html.j2")
    basis = report.basis or basis_sections(report.result, report.lang)
    return template.render(
        r=replace(report, basis=basis), L=report.labels, B=basis.words, for_pdf=for_pdf, font=FONT,
        chart_chapters=stacked_bars(report.chapters, report.statuses),
        chart_domains=stacked_bars(report.domains, report.statuses),
    )
