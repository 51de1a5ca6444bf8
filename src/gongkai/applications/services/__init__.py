"""Every change to an application, one function per action (see the sub-modules).

All take keyword-only arguments with the acting user first, run in one transaction with an
audit event, check the transition with ``gongkai.law.workflow`` (raising ``TransitionRefused``
with the reason) and the actor's permission with ``gongkai.accounts.rules`` (raising
``PermissionDenied``); bad input raises ``ValidationError`` with a message per field.
"""

from gongkai.applications.services.approvals import (
    approve_reply,
    draft_reply,
    return_reply_draft,
)
from gongkai.applications.services.common import allowed_actions_for
from gongkai.applications.services.deadlines import (
    DeadlineBand,
    deadline_band,
    refresh_due_date,
)
from gongkai.applications.services.endings import (
    archive,
    lapse_correction,
    lapse_fee,
    record_delivery,
    reply,
    transfer,
    withdraw,
)
from gongkai.applications.services.extension_requests import (
    approve_extension_request,
    request_extension,
    return_extension_request,
)
from gongkai.applications.services.intake import (
    accept,
    add_attachments,
    confirm_receipt,
    find_by_tracking_code,
    normalise_tracking_code,
    register_application,
    submit_online,
    take_online_submission,
)
from gongkai.applications.services.letters import compose_for, generate_letter, letter_pdf
from gongkai.applications.services.workflow import (
    approve_extension,
    assign_handler,
    close_consultation,
    issue_fee_notice,
    open_consultation,
    record_payment,
    record_supplement,
    request_correction,
)
from gongkai.law.workflow import TransitionRefused

__all__ = [
    "DeadlineBand",
    "TransitionRefused",
    "accept",
    "add_attachments",
    "allowed_actions_for",
    "approve_extension",
    "approve_extension_request",
    "approve_reply",
    "archive",
    "assign_handler",
    "close_consultation",
    "compose_for",
    "confirm_receipt",
    "deadline_band",
    "draft_reply",
    "find_by_tracking_code",
    "generate_letter",
    "issue_fee_notice",
    "lapse_correction",
    "lapse_fee",
    "letter_pdf",
    "normalise_tracking_code",
    "open_consultation",
    "record_delivery",
    "record_payment",
    "record_supplement",
    "refresh_due_date",
    "register_application",
    "reply",
    "request_correction",
    "request_extension",
    "return_extension_request",
    "return_reply_draft",
    "submit_online",
    "take_online_submission",
    "transfer",
    "withdraw",
]
