"""``{{ label|law_label }}``: a Chinese label of the law in the reader's language (labels.py)."""

from django import template
from django.utils.translation import get_language

from gongkai.applications.labels import translated

register = template.Library()


@register.filter
def law_label(value) -> str:
    return translated(str(value)) if value else ""


@register.filter
def event_label(event) -> str:
    """An audit row's label in the reader's language: the label itself when the catalogue has
    it, else the label of its action (「由某机关转来」 reads 「由其他机关转来」 in English)."""
    from gongkai.applications.services.ui_support import ACTION_LABELS, PUBLIC_EVENTS

    label = event.label or event.action
    shown = translated(label)
    if shown != label or not (get_language() or "").startswith("en"):
        return shown
    for table in (PUBLIC_EVENTS, ACTION_LABELS):
        if event.action in table:
            return translated(table[event.action])
    return label
