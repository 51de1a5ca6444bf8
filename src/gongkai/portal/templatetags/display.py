"""``{% display_classes %}``, ``{% display_class_attribute %}`` and ``{% display_on "large" %}``: the reader's display modes
(gongkai.portal.display) for base.html."""

from django import template

from gongkai.portal.display import MODES, modes_of

register = template.Library()


@register.simple_tag(takes_context=True)
def display_classes(context) -> str:
    request = context.get("request")
    return " ".join(MODES[m] for m in modes_of(request)) if request is not None else ""


@register.simple_tag(takes_context=True)
def display_class_attribute(context) -> str:
    """`` class="gk-large …"`` for <html>, or nothing when no mode is on."""
    from django.utils.html import format_html

    classes = display_classes(context)
    return format_html(' class="{}"', classes) if classes else ""


@register.simple_tag(takes_context=True)
def display_on(context, mode: str) -> str:
    request = context.get("request")
    return "true" if request is not None and mode in modes_of(request) else "false"
