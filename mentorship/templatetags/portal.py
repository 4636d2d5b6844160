"""Small template helpers shared by every page."""

from django import template
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple
from django.utils.html import format_html, format_html_join

from mentorship.tenancy.rules import rule

register = template.Library()


@register.filter
def bs_widget(field: BoundField) -> str:
    """Render a form field's widget with Bootstrap's classes and validity state."""
    widget = field.field.widget
    if isinstance(widget, RadioSelect):  # radio buttons, and checkbox groups (a subclass)
        return _choice_group(field)
    if isinstance(widget, CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, (Select, SelectMultiple)) and not isinstance(widget, RadioSelect):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


def _choice_group(field: BoundField) -> str:
    """One Bootstrap «form-check» per choice. Django puts the widget's class on the group's
    wrapper too: «form-check-input» there made the wrapper a 1em box and the labels ran one
    word per line (issue 13, «С чего начать» on «Дорожные карты»)."""
    css = "form-check-input" + (" is-invalid" if field.errors else "")
    items = []
    for choice in field.subwidgets:
        choice.data["attrs"] = {**choice.data["attrs"], "class": css}
        items.append((choice.tag(wrap_label=False), choice.id_for_label, choice.choice_label))
    group = format_html_join(
        "",
        '<div class="form-check">{} <label class="form-check-label" for="{}">{}</label></div>',
        items,
    )
    return format_html('<div id="{}" class="choice-group">{}</div>', field.auto_id, group)


@register.filter
def can(tenant, rule_name: str) -> bool:
    """`{% if tenant|can:"roadmaps.read" %}`: show a link only to those who may open it."""
    return rule(rule_name).permits(tenant)


@register.simple_tag(takes_context=True)
def can_at(context, rule_name: str, organization) -> bool:
    """`{% can_at "roadmaps.read" school as may_open %}`: a link to an organisation below
    the current one, judged with the roles held here (a membership covers its subtree)."""
    tenant = context.get("tenant")
    return tenant is not None and rule(rule_name).allows(organization, tenant.roles)
