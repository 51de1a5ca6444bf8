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


def narrative_figures_by_agency(*, agency_ids, year: int) -> dict[int, dict]:
    """:func:`narrative_figures` of each agency alone, for every agency of ``agency_ids`` (None:
    every agency, with no filter in the queries). Two grouped queries in all."""
    from django.db.models import Count, Q

    from gongkai.agencies.models import Agency

    trainings = Training.objects.filter(held_on__year=year)
    if agency_ids is None:
        ids = list(Agency.objects.values_list("pk", flat=True))
    else:
        ids = list(agency_ids)
        trainings = trainings.filter(agency_id__in=ids)
    rows = {
        row["agency_id"]: row
        for row in trainings.values("agency_id")
        .annotate(
            n=Count("pk", distinct=True),
            unrecorded=Count("pk", filter=Q(attendance__isnull=True), distinct=True),
        )
        .order_by()
    }
    people = dict(
        Attendance.objects.filter(training__in=trainings)
        .values("training__agency_id")
        .annotate(n=Sum("people"))
        .order_by()
        .values_list("training__agency_id", "n")
    )
    out: dict[int, dict] = {}
    for agency_id in ids:
        row = rows.get(agency_id)
        if row is None:
            out[agency_id] = {"trainings": 0, "trainees": 0}
        elif row["unrecorded"]:
            out[agency_id] = {"trainings": row["n"], "trainees": None}
        else:
            out[agency_id] = {"trainings": row["n"], "trainees": int(people.get(agency_id) or 0)}
    return out
