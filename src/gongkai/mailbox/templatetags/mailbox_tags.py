"""``{% mailbox_alerts %}``: the mailbox's reminders and overdue letters on the staff home."""

from django import template
from django.utils import timezone

from gongkai.mailbox.selectors import workbench_alerts

register = template.Library()


@register.inclusion_tag("mailbox/_alerts.html", takes_context=True)
def mailbox_alerts(context):
    user = context["request"].user
    return {"alerts": workbench_alerts(user, timezone.localdate())}
