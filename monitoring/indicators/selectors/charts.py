"""Small SVG charts rendered on the server: the same markup on the page and in the PDF.

No JavaScript, no CDN: WeasyPrint draws inline SVG, browsers too. Numbers are formatted
here and every label is escaped, so the result is safe to mark as such.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from monitoring.indicators.selectors.figures import format_percent

GOOD = "#198754"
BAD = "#dc3545"
NEUTRAL = "#0d6efd"
MUTED = "#adb5bd"
WARN = "#d39e00"
TEXT = "#212529"


def _scale(values: Sequence[Decimal | None], target: Decimal | None) -> float:
    top = max([float(v) for v in values if v is not None] + [float(target or 0), 10.0])
    return min(max(top * 1.15, 10.0), 100.0) if top <= 100 else top * 1.05


def sparkline(
    points: Sequence[tuple[int, Decimal | None]],
    *,
    target: Decimal | None = None,
    width: int = 132,
    height: int = 36,
) -> SafeString:
    """The trend of a share over years: a line with gaps where it is unknown, the
    reporting year's point emphasised, the target as a dashed line."""
    if not points:
        return mark_safe("")
    pad_x, pad_y = 5, 5
    top = _scale([v for _y, v in points], target)
    step = (width - 2 * pad_x) / max(len(points) - 1, 1)

    def y_of(value: Decimal | float) -> float:
        return height - pad_y - (float(value) / top) * (height - 2 * pad_y)

    parts = []
    if target is not None:
        ty = y_of(target)
        parts.append(
            f'<line x1="{pad_x}" y1="{ty:.1f}" x2="{width - pad_x}" y2="{ty:.1f}" '
            f'stroke="{MUTED}" stroke-width="1" stroke-dasharray="3 2"/>'
        )
    segment: list[str] = []
    segments = []
    for i, (_year, value) in enumerate(points):
        if value is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{pad_x + i * step:.1f},{y_of(value):.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) > 1:
            parts.append(
                f'<polyline points="{" ".join(seg)}" fill="none" stroke="{NEUTRAL}" '
                'stroke-width="1.6" stroke-linejoin="round"/>'
            )
    for i, (_year, value) in enumerate(points):
        if value is None:
            cx = pad_x + i * step
            parts.append(
                f'<circle cx="{cx:.1f}" cy="{height - pad_y:.1f}" r="1.4" fill="{MUTED}"/>'
            )
            continue
        last = i == len(points) - 1
        colour = NEUTRAL
        if last and target is not None:
            colour = GOOD if value >= target else BAD
        parts.append(
            f'<circle cx="{pad_x + i * step:.1f}" cy="{y_of(value):.1f}" '
            f'r="{2.8 if last else 1.8}" fill="{colour}"/>'
        )
    described = "; ".join(
        f"{year}: {format_percent(value) if value is not None else '—'}" for year, value in points
    )
    if target is not None:
        described += "; " + _("цель") + " " + format_percent(target)
    title = escape(described)
    return mark_safe(
        f'<svg class="sparkline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{title}">'
        f"<title>{title}</title>{''.join(parts)}</svg>"
    )


def target_bars(
    items: Sequence[tuple[str, Decimal | None, Decimal | None]],
    *,
    width: int = 680,
    label_width: int = 250,
) -> SafeString:
    """Each indicator's share as a bar against its target (a dark tick); an unknown
    share is a grey note instead of a bar, never a zero-length bar."""
    row_h, top_pad = 30, 18
    bar_x = label_width + 10
    bar_w = width - bar_x - 70
    height = top_pad + row_h * len(items) + 6
    scale = max(
        [100.0]
        + [float(v) for _l, v, _t in items if v is not None]
        + [float(t) for _l, _v, t in items if t is not None]
    )
    parts = [
        f'<text x="{bar_x}" y="11" font-size="9" fill="{TEXT}">0</text>',
        f'<text x="{bar_x + bar_w}" y="11" font-size="9" fill="{TEXT}" '
        f'text-anchor="end">{int(scale)}\u00a0%</text>',
    ]
    for i, (label, share, target) in enumerate(items):
        y = top_pad + i * row_h
        lines = textwrap.wrap(label, 42)[:2]
        for j, line in enumerate(lines):
            ly = y + 11 + j * 11 - (5 if len(lines) > 1 else 0)
            parts.append(
                f'<text x="0" y="{ly + 4}" font-size="9.5" fill="{TEXT}">{escape(line)}</text>'
            )
        parts.append(f'<rect x="{bar_x}" y="{y + 4}" width="{bar_w}" height="14" fill="#f1f3f5"/>')
        if share is not None:
            colour = NEUTRAL if target is None else (GOOD if share >= target else BAD)
            if share > 100:
                colour = WARN  # more than the contingent: a count to check, not a success
            w = max(float(share) / scale * bar_w, 1.0)
            parts.append(
                f'<rect x="{bar_x}" y="{y + 4}" width="{w:.1f}" height="14" fill="{colour}"/>'
            )
            value_text = format_percent(share)
        else:
            value_text = _("нет данных")
        if target is not None:
            tx = bar_x + float(target) / scale * bar_w
            parts.append(
                f'<line x1="{tx:.1f}" y1="{y + 1}" x2="{tx:.1f}" y2="{y + 21}" '
                f'stroke="{TEXT}" stroke-width="2"/>'
            )
        parts.append(
            f'<text x="{bar_x + bar_w + 6}" y="{y + 15}" font-size="9.5" '
            f'fill="{TEXT}">{escape(value_text)}</text>'
        )
    caption = escape(_("Доля, %; черта — целевое значение"))
    return mark_safe(
        f'<svg class="target-bars" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{caption}">'
        f"<title>{caption}</title>{''.join(parts)}</svg>"
    )


def distribution(
    items: Sequence[tuple[str, int]], answered: int, *, width: int = 440
) -> SafeString:
    """Answers per scale point or option: a bar each, with the count and its share."""
    if not items:
        return mark_safe("")
    row_h = 20
    labels = [label if len(label) <= 28 else label[:27].rstrip() + "…" for label, _n in items]
    # About 6.3 px a character at 10 px: short scale labels leave room for the bars.
    label_w = min(185, max(24, round(6.3 * max(len(label) for label in labels))))
    bar_x = label_w + 6
    bar_w = width - bar_x - 86
    top = max([n for _l, n in items] + [1])
    parts = []
    for i, ((_label, count), text) in enumerate(zip(items, labels, strict=True)):
        y = i * row_h
        share = format_percent(Decimal(100) * count / answered) if answered else "—"
        w = count / top * bar_w
        parts.append(
            f'<text x="{label_w}" y="{y + 13}" font-size="10" fill="{TEXT}" '
            f'text-anchor="end">{escape(text)}</text>'
            f'<rect x="{bar_x}" y="{y + 3}" width="{bar_w}" height="13" fill="#f1f3f5"/>'
            f'<rect x="{bar_x}" y="{y + 3}" width="{max(w, 0.5):.1f}" height="13" '
            f'fill="{NEUTRAL}"/>'
            f'<text x="{bar_x + bar_w + 5}" y="{y + 13}" font-size="10" fill="{TEXT}">'
            f"{count} ({escape(share)})</text>"
        )
    height = row_h * len(items) + 2
    caption = escape(_("Распределение ответов"))
    return mark_safe(
        f'<svg class="distribution" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" aria-label="{caption}">'
        f"<title>{caption}</title>{''.join(parts)}</svg>"
    )
