"""Erase the personal data of closed applications after the retention period (个人信息保护法).

《政府信息公开条例》 sets no period for keeping an applicant's personal data
(docs/law/ogi-spec.md has none): it is local policy, set by ``GONGKAI_RETENTION_DAYS`` (days
after 办结, unset: nothing is erased) or given to ``gongkai retention --days``. What is erased:
the ID number and its hash, phone, e-mail, address, postcode, the contact person and
representative, the ID copies and letters of authorisation (files and rows); a natural
person's name is cut to its masked form (``张**``). What stays: the request, the dates, the
disposition, the letters issued (the agency's own record, kept under its archive rules) and
the audit log. Each erased application gets an audit row, in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from gongkai.applications.models import Application, Attachment
from gongkai.applications.services.common import record_event
from gongkai.law.identifiers import mask_name
from gongkai.law.workflow import OPEN_STATES

__all__ = ["ERASED_FIELDS", "RetentionRun", "erase_expired_personal_data", "expired"]

#: Emptied on erasure (the name is masked instead, see the module's docstring).
ERASED_FIELDS = (
    "id_number",
    "id_number_hash",
    "phone",
    "email",
    "address",
    "postcode",
    "contact_name",
    "representative",
)
ERASED_KINDS = (Attachment.Kind.ID_COPY, Attachment.Kind.AUTHORISATION)


@dataclass
class RetentionRun:
    cutoff: date
    dry_run: bool
    applications: list[int] = field(default_factory=list)  # ids erased (or to erase)
    files: int = 0


def expired(*, days: int, today: date):
    """Closed applications whose 办结 day is more than ``days`` ago and not yet erased."""
    cutoff = today - timedelta(days=days)
    return (
        Application.objects.exclude(state__in=[s.value for s in OPEN_STATES])
        .filter(closed_on__lt=cutoff, personal_data_erased_on=None)
        .order_by("closed_on", "pk")
    )


def erase_expired_personal_data(
    *, actor: Any, days: int, today: date, dry_run: bool = False, batch_size: int = 200
) -> RetentionRun:
    """Erase (or, with ``dry_run``, only count) the personal data of expired applications.

    Each application is erased in its own transaction with its audit row, so an interrupted
    run leaves every application either untouched or fully erased; running again goes on.
    """
    if days < 1:
        raise ValueError("保存期限须为正整数天 / the retention period must be at least one day")
    run = RetentionRun(cutoff=today - timedelta(days=days), dry_run=dry_run)
    for pk in list(expired(days=days, today=today).values_list("pk", flat=True)):
        kinds = Attachment.objects.filter(application_id=pk, kind__in=ERASED_KINDS)
        run.applications.append(pk)
        if dry_run:
            run.files += kinds.count()
            continue
        with transaction.atomic():
            application = Application.objects.select_for_update().get(pk=pk)
            if application.personal_data_erased_on is not None:
                continue
            doomed = list(kinds)
            names = [a.file.name for a in doomed if a.file]
            for name in ERASED_FIELDS:
                setattr(application, name, "")
            if application.applicant_kind == Application.ApplicantKind.NATURAL_PERSON:
                application.applicant_name = mask_name(application.applicant_name)
            application.personal_data_erased_on = today
            application.save()
            Attachment.objects.filter(pk__in=[a.pk for a in doomed]).delete()
            # The files go once the rows are gone for good (a rollback keeps both).
            transaction.on_commit(lambda names=names: _delete_files(names))
            record_event(
                application,
                actor=actor,
                action="personal_data_erased",
                label="删除申请人个人信息（保存期限届满）",
                data={"retention_days": days, "files": len(names)},
            )
            run.files += len(names)
    return run


def _delete_files(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)
