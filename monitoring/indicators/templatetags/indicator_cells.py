"""The figure of a table cell as HTML, written in Python: a municipal table has a
hundred schools by nine indicators, and an `{% include %}` per cell costs more than the
queries of the whole page. The markup is the same as `indicators/_cell.html`.

Written with the standard library's `html.escape` (what `django.utils.html.escape`
calls, without the lazy-string check around every argument) and with the labels
translated once per language: with `format_html` and a `gettext` per cell the 900
cells of a municipality took a third of the page's time (the mixed-load bench).
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from monitoring.indicators.selectors.figures import NO_DATA, NOT_APPLICABLE, OK, Figure

register = template.Library()

HIDDEN_TITLE = gettext_lazy(
    "Скрыто: меньше 5 человек, или скрыто вместе с таким значением, "
    "чтобы его нельзя было вычислить из итога"
)


@lru_cache(maxsize=8)
def _labels(language: str | None) -> dict[str, str]:
    """The cells' fixed words in `language` (the active one), escaped once."""
    return {
        "hidden": escape(str(HIDDEN_TITLE)),
        "answers": escape(_("отв.")),
        "of": escape(_("из")),
        "over": escape(_("В парах больше, чем в контингенте: проверьте контингент")),
        "people": escape(_("чел., без доли")),
        "organizations": escape(_("организаций")),
        # Filled with the count first, escaped after.
        "in_pairs": _("в парах: %(n)s"),
    }


def _cell(figure: Figure, people: bool, labels: dict[str, str]) -> str:
    state = figure.state
    if state == OK:
        if figure.hidden:
            return (
                f'<span class="text-body-secondary" title="{labels["hidden"]}">'
                f"{escape(figure.numerator_display)}</span>"
            )
        unit = f" {labels['answers']}" if figure.survey else ""
        over = figure.over_denominator
        danger = " text-danger" if over else ""
        title = f' title="{labels["over"]}"' if over else ""
        return (
            f'<span class="fw-semibold{danger}"{title}>{escape(figure.share_display)}</span>'
            '<div class="small text-body-secondary text-nowrap">'
            f"{escape(figure.numerator_display)} {labels['of']} "
            f"{escape(figure.denominator_display)}{unit}</div>"
        )
    if state == NOT_APPLICABLE:
        if figure.hidden:
            return f'<span class="text-body-secondary">{escape(figure.numerator_display)}</span>'
        return (
            f"<span>{escape(figure.numerator_display)}</span>"
            '<div class="small text-body-secondary">'
            f"{labels['people'] if people else labels['organizations']}</div>"
        )
    if state == NO_DATA:
        return f'<span class="small text-body-secondary">{escape(figure.share_display)}</span>'
    return (
        '<span class="small text-warning-emphasis" data-testid="no-denominator">'
        f"{escape(figure.share_display)}</span>"
        '<div class="small text-body-secondary">'
        f"{escape(labels['in_pairs'] % {'n': figure.numerator_display})}</div>"
    )


@register.simple_tag
def indicator_cell(figure: Figure, people: bool = True) -> SafeString:
    return mark_safe(_cell(figure, people, _labels(get_language())))  # noqa: S308 - escaped above


@register.simple_tag
def live_figure(figure: Figure | None) -> SafeString:
    """«сейчас: N» under a submitted figure whose live value differs (nothing otherwise)."""
    if figure is None:
        return SafeString("")
    title = _("Текущее значение")
    if figure.state == OK and not figure.hidden:
        title = _("Текущее значение: %(n)s из %(d)s") % {
            "n": figure.numerator_display,
            "d": figure.denominator_display,
        }
    return format_html(
        '<div class="small text-body-secondary text-nowrap live-figure" title="{}"'
        ' data-testid="live-figure">{}</div>',
        title,
        _("сейчас: %(v)s") % {"v": figure.brief_display},
    )


@register.simple_tag
def indicator_row_cells(row) -> SafeString:
    """All the indicator cells of a table row (`UnitRow`), one tag call per row; under a
    submitted municipality's figure, its live value where that differs."""
    labels = _labels(get_language())
    return mark_safe(  # noqa: S308 - every value is escaped in `_cell` and `live_figure`
        "".join(
            f"<td>{_cell(f, d.people, labels)}{live_figure(live) if live is not None else ''}</td>"
            for d, f, live in row.live_cells
        )
    )
