"""``{% appeals_alerts %}``: corrected cases awaiting follow-up, on the staff home."""

from django import template

from gongkai.appeals.selectors import open_follow_ups

register = template.Library()


@register.inclusion_tag("appeals/_alerts.html", takes_context=True)
def appeals_alerts(context):
    return {"follow_ups": list(open_follow_ups(context["request"].user)[:20])}
