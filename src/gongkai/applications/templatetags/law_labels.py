"""``{{ label|law_label }}``: a Chinese label of the law in the reader's language (labels.py)."""

from django import template

from gongkai.applications.labels import translated

register = template.Library()


@register.filter
def law_label(value) -> str:
    return translated(str(value)) if value else ""
