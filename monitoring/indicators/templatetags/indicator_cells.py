"""The figure of a table cell as HTML, written in Python: a municipal table has a
hundred schools by six indicators, and an `{% include %}` per cell costs more than the
queries of the whole page. The markup is the same as `indicators/_cell.html`."""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from monitoring.indicators.selectors.figures import NO_DATA, NOT_APPLICABLE, OK, Figure

register = template.Library()

HIDDEN_TITLE = gettext_lazy(
    "Скрыто: меньше 5 человек, или скрыто вместе с таким значением, "
    "чтобы его нельзя было вычислить из итога"
)


@register.simple_tag
def indicator_cell(figure: Figure, people: bool = True) -> SafeString:
    state = figure.state
    if state == OK:
        if figure.hidden:
            return format_html(
                '<span class="text-body-secondary" title="{}">{}</span>',
                HIDDEN_TITLE,
                figure.numerator_display,
            )
        unit = _("отв.") if figure.survey else ""
        over = figure.over_denominator
        return format_html(
            '<span class="fw-semibold{}"{}>{}</span>'
            '<div class="small text-body-secondary text-nowrap">{} {} {}{}</div>',
            " text-danger" if over else "",
            format_html(' title="{}"', _("В парах больше, чем в контингенте: проверьте контингент"))
            if over
            else "",
            figure.share_display,
            figure.numerator_display,
            _("из"),
            figure.denominator_display,
            f" {unit}" if unit else "",
        )
    if state == NOT_APPLICABLE:
        if figure.hidden:
            return format_html(
                '<span class="text-body-secondary">{}</span>', figure.numerator_display
            )
        return format_html(
            '<span>{}</span><div class="small text-body-secondary">{}</div>',
            figure.numerator_display,
            _("чел., без доли") if people else _("организаций"),
        )
    if state == NO_DATA:
        return format_html(
            '<span class="small text-body-secondary">{}</span>', figure.share_display
        )
    return format_html(
        '<span class="small text-warning-emphasis" data-testid="no-denominator">{}</span>'
        '<div class="small text-body-secondary">{}</div>',
        figure.share_display,
        _("в парах: %(n)s") % {"n": figure.numerator_display},
    )


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
    return format_html_join(
        "",
        "<td>{}{}</td>",
        ((indicator_cell(f, d.people), live_figure(live)) for d, f, live in row.live_cells),
    )
