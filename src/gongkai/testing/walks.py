"""Walk an application to each disposition through the real services (for tests)."""

from __future__ import annotations

from datetime import date, timedelta

from gongkai.applications import services as s
from gongkai.applications.services.letters import base_context
from gongkai.law.dispositions import DISPOSITIONS, Disposition
from gongkai.letters.samples import sample_context
from gongkai.testing import factories as f

D = Disposition
_OWN = {"agency_name", "issued_on", "doc_number", "ground"}


def letter_context(application, disposition: Disposition) -> dict:
    """What a handler would write for ``disposition``'s letter (the letters app's sample)."""
    key = DISPOSITIONS[disposition].letter
    own = set(base_context(application)) | _OWN
    return {k: v for k, v in sample_context(key).items() if k not in own}


def walk(
    disposition: Disposition,
    *,
    clerk,
    office,
    elsewhere,
    received_on: date,
    data: dict | None = None,
    approver=None,
):
    """Create an application received on ``received_on`` and end it with ``disposition``.

    Returns the application (refreshed). Every step is dated in the application's own year
    or shortly after, within the statutory periods. A reply is given by ``approver`` (default:
    the office's user ``approver``, made if missing), as replies need approval
    (GONGKAI_REPLY_APPROVAL).
    """
    app = f.received_application(
        actor=clerk, agency_obj=office, received_on=received_on, data=data or f.person_data()
    )
    day = received_on + timedelta(days=2)
    if disposition is D.OVERDUE_CORRECTION:
        s.request_correction(
            actor=clerk, application=app, items=["请明确信息名称"], requested_on=day
        )
        app.refresh_from_db()
        s.lapse_correction(
            actor=clerk, application=app, on=app.correction.supplement_due + timedelta(days=1)
        )
    elif disposition is D.OVERDUE_FEE:
        s.issue_fee_notice(
            actor=clerk,
            application=app,
            method="per_page",
            pages=45,
            payment_method="非税收入缴款码",
            issued_on=day,
        )
        app.refresh_from_db()
        s.lapse_fee(actor=clerk, application=app, on=app.fee_notice.due_on + timedelta(days=1))
    elif disposition is D.WITHDRAWN:
        s.withdraw(actor=clerk, application=app, on=day, note="申请人书面撤回")
    elif disposition is D.TRANSFERRED:
        s.transfer(actor=clerk, application=app, to_agency=elsewhere, on=day)
    else:
        if disposition is D.UNCLEAR:
            s.request_correction(
                actor=clerk, application=app, items=["请明确信息名称"], requested_on=day
            )
            s.record_supplement(actor=clerk, application=app, supplied_on=day + timedelta(days=1))
            day += timedelta(days=2)
        app.refresh_from_db()
        ctx = letter_context(app, disposition)
        if disposition is D.UNCLEAR:
            ctx["correction_requested_on"] = app.correction.requested_on
        s.reply(
            actor=approver or f.staff("approver", office, "approver"),
            application=app,
            disposition=disposition,
            replied_on=day,
            letter_context=ctx,
        )
    app.refresh_from_db()
    return app
