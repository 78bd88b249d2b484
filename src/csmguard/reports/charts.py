"""Charts as inline SVG strings built here (no JavaScript, no network): stacked status bars."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from csmguard.reports.model import GroupRow, StatusCell

FONT = "'Noto Sans CJK TC', 'Noto Sans TC', 'Noto Sans', sans-serif"


def text_width(label: str, size: int = 12) -> int:
    """An estimate of the width of ``label`` in pixels: CJK characters are square, Latin ones narrower."""
    return sum(size if ord(ch) > 0x2E80 else int(size * 0.6) for ch in label)


def fit(label: str, width: int, size: int = 12) -> str:
    """``label`` cut with an ellipsis so that it fits in ``width`` pixels (by the same estimate)."""
    if text_width(label, size) <= width:
        return label
    while label and text_width(label + "…", size) > width:
        label = label[:-1]
    return label.rstrip() + "…"


def stacked_bars(rows: Sequence[GroupRow], statuses: Sequence[StatusCell], *, width: int = 680,
                 label_width: int = 230, bar_height: int = 22, gap: int = 10) -> str:
    """One horizontal bar per row, split by status count, with a legend; a self-contained ``<svg>``."""
    bar_width = width - label_width - 50
    legend_height = 30
    height = legend_height + len(rows) * (bar_height + gap) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" font-family="{escape(FONT)}" font-size="12">']
    x = 0
    for status in statuses:
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{status.color}"/>')
        parts.append(f'<text x="{x + 16}" y="14">{escape(status.label)}</text>')
        x += 28 + text_width(status.label)
    for index, row in enumerate(rows):
        y = legend_height + index * (bar_height + gap)
        parts.append(f'<text x="0" y="{y + bar_height * 0.7:.1f}"><title>{escape(row.title)}</title>'
                     f'{escape(fit(row.title, label_width - 8))}</text>')
        offset = float(label_width)
        for status, count in zip(statuses, row.counts, strict=True):
            if not count or not row.total:
                continue
            w = bar_width * count / row.total
            parts.append(f'<rect x="{offset:.1f}" y="{y}" width="{w:.1f}" height="{bar_height}" fill="{status.color}">'
                         f'<title>{escape(status.label)}: {count}</title></rect>')
            if w >= 16:
                fill = "#000" if status.value in ("partially_compliant", "not_applicable") else "#fff"
                parts.append(f'<text x="{offset + w / 2:.1f}" y="{y + bar_height * 0.7:.1f}" text-anchor="middle" '
                             f'fill="{fill}">{count}</text>')
            offset += w
        parts.append(f'<text x="{label_width + bar_width + 6}" y="{y + bar_height * 0.7:.1f}">{row.total}</text>')
    parts.append("</svg>")
    return "".join(parts)
