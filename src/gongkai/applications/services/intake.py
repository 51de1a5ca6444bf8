"""Intake on every channel (《政府信息公开条例》第二十九条、第三十一条).

- :func:`submit_online`: the public portal form (no account). The application waits in
  待确认 until a clerk confirms its receipt (Art. 31(3)).
- :func:`register_application`: staff enter an application that came in person, by post, fax
  or e-mail; the receipt day follows the channel's Art. 31 rule.
- :func:`confirm_receipt`: the clerk confirms an application waiting in 待确认 (sets the
  receipt day, accepts it, starts the clock); :func:`accept` accepts one whose day is known.

A retry with the same idempotency key returns the first application; nothing is saved unless
everything is valid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, Attachment, id_number_hash
from gongkai.applications.services.common import (
    mail_applicant,
    record_event,
    refuse,
    require_handler,
    today,
)
from gongkai.applications.services.deadlines import refresh_due_date
from gongkai.applications.services.steps import STEPS, ApplicationStep
from gongkai.applications.services.validation import (
    APPLICANT_FIELDS,
    check_attachments,
    clean_application_data,
)
from gongkai.intake import codes, files, idempotency
from gongkai.intake.captcha import Proof
from gongkai.intake.numbering import next_number
from gongkai.law.applicants import Channel, awaits_confirmation, receipt_rule
from gongkai.law.repeats import likely_repeats
from gongkai.law.workflow import Action, State
from gongkai.records.files import delete_files_on_error

__all__ = [
    "accept",
    "add_attachments",
    "confirm_receipt",
    "find_by_tracking_code",
    "normalise_tracking_code",
    "register_application",
    "submit_online",
    "take_online_submission",
]


def normalise_tracking_code(text: str) -> str:
    """Fold what a person typed into the stored form: no spaces or dashes, upper case."""
    return codes.normalise(text)


def find_by_tracking_code(code: str) -> Application | None:
    """Return the application with this 查询码 (as typed), or None."""
    code = codes.normalise(code)
    if len(code) != codes.TRACKING_CODE_LENGTH:
        return None
    return Application.objects.filter(tracking_code=code).first()


def reference_prefix(agency: Agency) -> str:
    """The prefix of an agency's application numbers, e.g. 县政府办公室依申."""
    return f"{agency.short_name or agency.name}依申"


def _number(agency: Agency, year: int) -> tuple[int, str]:
    serial = next_number(
        agency_id=agency.pk,
        series="application",
        year=year,
        start_after=lambda: Application.objects.filter(
            agency=agency, reference_year=year
        ).aggregate(n=Max("reference_serial"))["n"],
    )
    return serial, f"{reference_prefix(agency)}〔{year}〕{serial}号"


def _repeat_flags(agency: Agency, clean: Mapping[str, str]) -> list[dict[str, Any]]:
    """Flag the same applicant's earlier applications here that ask for much the same thing.

    《政府信息公开条例》第三十六条第（六）项: a flag for the clerk, never a rejection.
    """
    same = Q()
    if clean.get("id_number"):  # encrypted at rest: found by its keyed hash
        same |= Q(id_number_hash=id_number_hash(clean["id_number"]))
    if clean.get("credit_code"):
        same |= Q(credit_code=clean["credit_code"])
    if not same:
        return []
    earlier = Application.objects.filter(same, agency=agency).values_list(
        "pk", "reference", "description"
    )
    refs = {pk: ref for pk, ref, _ in earlier}
    matches = likely_repeats(clean["description"], [(pk, text) for pk, _, text in earlier])
    return [
        {"application": m.ref, "reference": refs[m.ref], "score": round(m.score, 2)}
        for m in matches
    ]


def _create(
    *,
    actor: Any,
    agency: Agency,
    channel: Channel,
    clean: dict[str, str],
    files: list[files.CheckedFile],
    submitted_at: datetime,
    received_on: date | None,
    idempotency_key: str,
    event: str,
    label: str,
) -> Application:
    year = timezone.localtime(submitted_at).year
    serial, reference = _number(agency, year)
    application = Application(
        agency=agency,
        tracking_code=codes.new_code(),
        reference=reference,
        reference_year=year,
        reference_serial=serial,
        channel=channel.value,
        submitted_at=submitted_at,
        received_on=received_on,
        state=State.REGISTERED.value,
        idempotency_key=idempotency_key,
        repeat_flags=_repeat_flags(agency, clean),
        **clean,
    )
    application.save()
    save_files(application, files)
    refresh_due_date(application)
    record_event(
        application,
        actor=actor,
        action=event,
        label=label,
        to_state=State.REGISTERED.value,
        data={
            "channel": channel.value,
            "received_on": received_on.isoformat() if received_on else None,
            "attachments": len(files),
            "repeat_flags": len(application.repeat_flags),
        },
    )
    return application


def save_files(application: Application, checked: Iterable[files.CheckedFile]) -> None:
    """Store checked files as the application's attachments (inside the change's transaction)."""
    for f in checked:
        attachment = Attachment(
            application=application,
            kind=f.kind,
            original_name=f.name[:200],
            content_type=f.content_type,
            size=len(f.content),
        )
        files.store(attachment.file, f)
        attachment.save()


def _checked(data: Mapping[str, Any], uploads: Iterable[tuple[str, Any]], today: date):
    """Return the cleaned fields and checked files; raise one ValidationError for all of them."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, str] = {}
    checked: list[files.CheckedFile] = []
    try:
        clean = clean_application_data(data, today=today)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        checked = check_attachments(uploads)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean, checked


def _retry(agency: Agency, key: str, clean: Mapping[str, Any]) -> Application | None:
    return idempotency.retry_of(
        Application.objects.filter(agency=agency), key=key, clean=clean, fields=APPLICANT_FIELDS
    )


def take_online_submission(
    *,
    agency: Agency,
    data: Mapping[str, Any],
    files: Iterable[tuple[str, Any]] = (),
    idempotency_key: str = "",
    proof: Proof | None = None,
    submitted_at: datetime | None = None,
    actor: Any = None,
) -> tuple[Application, bool]:
    """Take an application from the public portal; return it and whether it is new.

    It waits in 待确认 until a clerk confirms it (Art. 31(3)). ``data`` holds the form fields
    (``validation.APPLICANT_FIELDS``), ``files`` ``(kind, uploaded_file)`` pairs, ``proof`` the
    captcha answer (checked last, just before saving, so a typo costs no new question; the
    web form and the API always pass one). Bad input raises one ValidationError naming every
    field, and nothing is saved. A reused ``idempotency_key`` follows the one rule of
    :mod:`gongkai.intake.idempotency`: the same submission returns the first application
    (``False``), a different one is refused.
    """
    key = idempotency.check_key(idempotency_key)
    submitted_at = submitted_at or timezone.now()
    clean, checked = _checked(data, files, timezone.localtime(submitted_at).date())
    earlier = _retry(agency, key, clean)
    if earlier is not None:
        return earlier, False
    if proof is not None:
        proof.consume(key)
    try:
        with delete_files_on_error(), transaction.atomic():
            application = _create(
                actor=actor,
                agency=agency,
                channel=Channel.ONLINE,
                clean=clean,
                files=checked,
                submitted_at=submitted_at,
                received_on=None,
                idempotency_key=key,
                event="submit",
                label="网上提交申请",
            )
            mail_applicant(
                application,
                f"政府信息公开申请已提交（查询码 {application.tracking_code_display}）",
                f"您向{agency.name}提交的政府信息公开申请已收到，待工作人员确认。"
                f"查询码：{application.tracking_code_display}。请妥善保存，用于查询办理进度。",
            )
    except IntegrityError:
        earlier = _retry(agency, key, clean) if key else None
        if earlier is None:
            raise
        return earlier, False
    return application, True


def submit_online(**kwargs: Any) -> Application:
    """:func:`take_online_submission`, returning the application only."""
    return take_online_submission(**kwargs)[0]


def register_application(
    *,
    actor: Any,
    agency: Agency,
    channel: Channel | str,
    data: Mapping[str, Any],
    received_on: date | None = None,
    files: Iterable[tuple[str, Any]] = (),
    idempotency_key: str = "",
    submitted_at: datetime | None = None,
    accept: bool = True,
) -> Application:
    """Register an application that came in person, by post, fax or e-mail (staff only).

    ``received_on`` is the day the channel's Art. 31 rule fixes: the day handed in (in
    person), signed for (registered post) or confirmed (ordinary post, fax, e-mail). It is
    required for in person and registered post; without it the others wait in 待确认. With
    ``accept`` (default) an application whose day is known is accepted at once.
    """
    require_handler(actor, agency)
    try:
        channel = Channel(channel)
    except ValueError:
        raise ValidationError(
            {"channel": f"未知的申请方式 {channel!r} / unknown channel"}
        ) from None
    if channel is Channel.ONLINE:
        raise ValidationError(
            {"channel": "网上申请由申请人在门户提交 / online applications come through the portal"}
        )
    if received_on is None and not awaits_confirmation(channel):
        raise ValidationError(
            {
                "received_on": f"请填写收到申请之日：{receipt_rule(channel).label_zh}"
                "（《政府信息公开条例》第三十一条） / the receipt day is required for this channel"
            }
        )
    current = today()
    if received_on is not None and received_on > current:
        raise ValidationError({"received_on": "收到申请之日不能晚于今天 / cannot be in the future"})
    key = idempotency.check_key(idempotency_key)
    clean, checked = _checked(data, files, current)
    found = _retry(agency, key, clean)
    if found is not None:
        return found
    try:
        with delete_files_on_error(), transaction.atomic():
            application = _create(
                actor=actor,
                agency=agency,
                channel=channel,
                clean=clean,
                files=checked,
                submitted_at=submitted_at or timezone.now(),
                received_on=received_on,
                idempotency_key=key,
                event="register",
                label=f"登记申请（{channel.label_zh}）",
            )
            if accept and received_on is not None:
                application = Accept(actor=actor, record=application, on=received_on).run()
    except IntegrityError:
        found = _retry(agency, key, clean) if key else None
        if found is None:
            raise
        return found
    return application


@STEPS.add
class Accept(ApplicationStep):
    """Accept an application (受理): confirm receipt of one waiting in 待确认 — its receipt day
    becomes the confirmation day and the 20 working days run from it (Art. 31(2)(3)) — or
    accept one whose receipt day is already fixed (in person, registered post)."""

    law = Action.ACCEPT

    def change(self, application: Application) -> Application:
        if not self.params.get("confirm"):
            if application.received_on is None:
                raise refuse(
                    "尚未确认收到申请，请先确认收到（《政府信息公开条例》第三十一条）",
                    "receipt has not been confirmed yet; confirm it first (Art. 31)",
                    "receipt.unconfirmed",
                )
            return application
        if application.received_on is not None:
            raise refuse(
                f"已于 {application.received_on} 确认收到，无需再次确认",
                f"receipt was already confirmed on {application.received_on}",
                "receipt.confirmed",
            )
        if self.on < timezone.localtime(application.submitted_at).date():
            raise refuse(
                "确认日期早于提交日期",
                "the confirmation is dated before the submission",
                "receipt.before_submission",
            )
        application.received_on = self.on
        self.data = {"received_on": self.on.isoformat()}
        self.note = f"确认收到申请，收到申请之日为 {self.on}"
        return application

    @property
    def changes(self) -> tuple[str, ...]:  # type: ignore[override]
        return ("received_on",) if self.params.get("confirm") else ()

    def settle(self, application: Application) -> None:
        if not self.params.get("confirm"):
            return
        mail_applicant(
            application,
            f"政府信息公开申请已受理（查询码 {application.tracking_code_display}）",
            f"您的申请已于 {self.on} 确认收到并受理，"
            + (
                f"答复期限至 {application.due_on}。"
                if application.due_on
                else "答复期限待补充节假日安排后计算，请凭查询码查看。"
            ),
        )

    @classmethod
    def params_from(cls, application, data):
        return {"on": data.get("on"), "confirm": application.awaiting_confirmation}


def confirm_receipt(
    *, actor: Any, application: Application, confirmed_on: date | None = None
) -> Application:
    """Confirm receipt of an application waiting in 待确认 and accept it (Art. 31(2)(3)).

    The confirmation day becomes the receipt day; the 20 working days run from it.
    """
    return Accept(actor=actor, record=application, on=confirmed_on, confirm=True).run()


def accept(*, actor: Any, application: Application, on: date | None = None) -> Application:
    """Accept a registered application whose receipt day is already fixed (in person, post)."""
    return Accept(actor=actor, record=application, on=on).run()


class AddAttachments(ApplicationStep):
    """Add files to an application (e.g. the supplement of a correction); staff only."""

    action = "attach"
    label = "添加附件"

    def validate(self) -> None:
        self.checked = check_attachments(self.params.get("files") or ())

    def change(self, application: Application) -> list[Attachment]:
        before = set(application.attachments.values_list("pk", flat=True))
        save_files(application, self.checked)
        added = list(application.attachments.exclude(pk__in=before))
        self.data = {"files": [a.original_name for a in added]}
        return added


def add_attachments(
    *, actor: Any, application: Application, files: Iterable[tuple[str, Any]]
) -> list[Attachment]:
    return AddAttachments(actor=actor, record=application, files=list(files)).run()


add_attachments.__doc__ = AddAttachments.__doc__


def receive_transfer(application: Application, *, actor: Any) -> Application:
    """Make the receiving agency's application for a transfer (待确认, ``transferred_from``).

    Called by the transfer step inside its transaction; the files go along.
    """
    to_agency = application.transfer_agency
    received = _create(
        actor=actor,
        agency=to_agency,
        channel=Channel(application.channel),
        clean={name: getattr(application, name) for name in APPLICANT_FIELDS},
        files=[],
        submitted_at=application.submitted_at,
        received_on=None,
        idempotency_key=f"transfer-{application.pk}",
        event="transfer_in",
        label=f"由{application.agency.name}转来",
    )
    received.transferred_from = application
    received.save(update_fields=["transferred_from", "updated_at"])
    for attachment in application.attachments.all():
        attachment.pk = None
        attachment.application = received
        attachment.save()
    return received
