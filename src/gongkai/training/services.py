"""Recording trainings and meetings and their attendance (audited; rules.can_record_training)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from gongkai.accounts import rules
from gongkai.auditlog.services import record as audit
from gongkai.training.models import Attendance, Training

DENIED = "您无权登记该机关的培训 / you may not record this agency's trainings"
FIELDS = ("held_on", "kind", "title", "topics", "audience_roles")


def _snapshot(training: Training) -> dict[str, Any]:
    data = {name: getattr(training, name) for name in FIELDS}
    data["audience"] = sorted(training.audience.values_list("pk", flat=True))
    return data


def save_training(
    *,
    actor: Any,
    agency: Any,
    held_on: date,
    title: str,
    kind: str = Training.Kind.TRAINING,
    topics: str = "",
    audience_roles: str = "",
    audience: Iterable[Any] = (),
    training: Training | None = None,
) -> Training:
    """Record a training or meeting ``agency`` organised (or correct ``training``)."""
    if not rules.can_record_training(actor, agency):
        raise PermissionDenied(DENIED)
    if training is not None and training.agency_id != getattr(agency, "pk", agency):
        raise ValidationError({"agency": "组织机关不能更改 / the organiser cannot change"})
    with transaction.atomic():
        before = None
        if training is None:
            training = Training(agency=agency)
        else:
            training = Training.objects.select_for_update().get(pk=training.pk)
            before = _snapshot(training)
        training.held_on, training.title, training.kind = held_on, title.strip(), kind
        training.topics, training.audience_roles = topics.strip(), audience_roles.strip()
        training.full_clean()
        training.save()
        training.audience.set(list(audience))
        audit(
            actor=actor,
            action="training.save",
            obj=training,
            label="登记培训" if before is None else "修改培训",
            before=before,
            after=_snapshot(training),
        )
    return training


def record_attendance(*, actor: Any, training: Training, people: Mapping[int, int | None]) -> None:
    """Set how many people of each agency attended (agency id -> people; None removes the row).

    Every agency must be in the training's audience; the organiser's own staff count too.
    """
    if not rules.can_record_training(actor, training.agency_id):
        raise PermissionDenied(DENIED)
    allowed = set(training.audience.values_list("pk", flat=True)) | {training.agency_id}
    strays = set(people) - allowed
    if strays:
        raise ValidationError("只能登记参加机关的人数 / only agencies in the audience")
    if any(n is not None and n < 0 for n in people.values()):
        raise ValidationError("人数不能为负 / the number of people cannot be negative")
    with transaction.atomic():
        Training.objects.select_for_update().get(pk=training.pk)
        before = dict(training.attendance.values_list("agency_id", "people"))
        for agency_id, n in people.items():
            if n is None:
                Attendance.objects.filter(training=training, agency_id=agency_id).delete()
            else:
                Attendance.objects.update_or_create(
                    training=training, agency_id=agency_id, defaults={"people": n}
                )
        after = dict(training.attendance.values_list("agency_id", "people"))
        if before != after:
            audit(
                actor=actor,
                action="training.attendance",
                obj=training,
                label="登记参加情况",
                before={str(k): v for k, v in before.items()},
                after={str(k): v for k, v in after.items()},
            )


def delete_training(*, actor: Any, training: Training) -> None:
    """Remove a training recorded in error."""
    if not rules.can_record_training(actor, training.agency_id):
        raise PermissionDenied(DENIED)
    with transaction.atomic():
        audit(
            actor=actor,
            action="training.delete",
            obj=training,
            label="删除培训",
            before=_snapshot(training),
        )
        training.delete()
