"""Small template helpers shared by every page."""

from django import template
from django.forms import BoundField, CheckboxInput, RadioSelect, Select, SelectMultiple

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
