"""Small template helpers shared by every page."""

from django import template
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple

from mentorship.tenancy.rules import rule

register = template.Library()


@register.filter
def bs_widget(field: BoundField) -> str:
    """Render a form field's widget with Bootstrap's classes and validity state."""
    widget = field.field.widget
    if isinstance(widget, (CheckboxInput, RadioSelect)):
        css = "form-check-input"
    elif isinstance(widget, (Select, SelectMultiple)) and not isinstance(widget, RadioSelect):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


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
