"""``{% display_classes %}`` and ``{% display_on "large" %}``: the reader's display modes
(gongkai.portal.display) for base.html."""

from django import template

from gongkai.portal.display import MODES, modes_of

register = template.Library()


@register.simple_tag(takes_context=True)
def display_classes(context) -> str:
    request = context.get("request")
    return " ".join(MODES[m] for m in modes_of(request)) if request is not None else ""


@register.simple_tag(takes_context=True)
def display_on(context, mode: str) -> str:
    request = context.get("request")
    return "true" if request is not None and mode in modes_of(request) else "false"
