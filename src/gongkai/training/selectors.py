"""Reads of the training register: lists, the annual report's narrative figures, and the
assessment fact."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet, Sum

from gongkai.training.models import Attendance, Training


def trainings_for(agency_ids, *, year: int | None = None) -> QuerySet[Training]:
    """Return the trainings organised by ``agency_ids`` (in ``year`` if given), with their
    organiser, audience and attendance, newest first."""
    trainings = Training.objects.filter(agency_id__in=list(agency_ids))
    if year is not None:
        trainings = trainings.filter(held_on__year=year)
    return trainings.select_related("agency").prefetch_related(
        "audience", Prefetch("attendance", queryset=Attendance.objects.select_related("agency"))
    )


def narrative_figures(*, agency_ids, year: int) -> dict:
    """Return the figures the annual report's narrative cites about training in ``year``:
    ``{"trainings": int, "trainees": int | None}`` — the trainings and meetings organised by
    ``agency_ids``, and the people who attended them (None when any of them has no attendance
    recorded: a partial sum would understate it)."""
    trainings = Training.objects.filter(agency_id__in=list(agency_ids), held_on__year=year)
    count = trainings.count()
    if count == 0:
        return {"trainings": 0, "trainees": 0}
    unrecorded = trainings.filter(attendance__isnull=True).exists()
    if unrecorded:
        return {"trainings": count, "trainees": None}
    total = Attendance.objects.filter(training__in=trainings).aggregate(n=Sum("people"))["n"]
    return {"trainings": count, "trainees": int(total or 0)}


def attendance_fact(*, agency: Any, year: int) -> dict:
    """The assessment fact 「参加培训」: of the trainings in ``year`` whose audience included
    ``agency``, the share it attended (an attendance row with at least one person).

    Returns ``{"ratio": float | None, "value": str, "explanation": str}``.
    """
    invited = list(Training.objects.filter(audience=agency, held_on__year=year).order_by("held_on"))
    if not invited:
        return {"ratio": None, "value": "—", "explanation": f"{year}年没有要求其参加的培训"}
    attended = set(
        Attendance.objects.filter(training__in=invited, agency=agency, people__gt=0).values_list(
            "training_id", flat=True
        )
    )
    missed = [t for t in invited if t.pk not in attended]
    text = f"{year}年应参加培训{len(invited)}次，参加{len(attended)}次"
    if missed:
        text += "；未参加：" + "、".join(f"{t.held_on:%m月%d日}{t.title}" for t in missed)
    return {
        "ratio": len(attended) / len(invited),
        "value": f"{len(attended)}/{len(invited)}",
        "explanation": text,
    }
