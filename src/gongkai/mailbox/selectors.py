"""Reads of the mailbox: staff lists (through the rules), statistics, the public timeline.

Statistics count the letters a mailbox *received* in a year (``received_on``), with what had
happened to them by the end of that year: answered (a reply, or the writer told where to go)
by 31 December, answered within the mailbox's working days, the working days taken. A letter
answered in a later year counts as unanswered in its own year, so a year's figures (and the
annual report that quotes them) do not change when an old letter is answered late. Per agency, a mailbox counts for the
agency that runs it. :func:`narrative_figures` is what the annual report's 总体情况 quotes
(「全年受理群众来信255件，实现网上答复办结率100%」).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Avg, Count, Max, Q, QuerySet

from gongkai.accounts import rules
from gongkai.holidays.services import load_calendar
from gongkai.law.calendar import MissingCalendarYear
from gongkai.mailbox.models import Category, Letter, Mailbox

__all__ = [
    "PUBLIC_EVENTS",
    "letter_for_user",
    "letters_for_user",
    "mailbox_stats",
    "narrative_figures",
    "public_events",
    "published_letters",
    "workbench_alerts",
]

OPEN_STATES = (Letter.State.SUBMITTED, Letter.State.ASSIGNED, Letter.State.DRAFTED)


def answered_by_end_of(year: int) -> Q:
    """Letters answered by 31 December of ``year`` (the year's figures, module doc)."""
    return Q(answered_on__isnull=False, answered_on__lte=date(year, 12, 31))


def _visible(user) -> Q:
    agencies = rules.visible_agencies(user)
    return Q(agency__in=agencies) | Q(mailbox__agency__in=agencies)


def letters_for_user(user: Any) -> QuerySet[Letter]:
    """The letters ``user`` may see: handled by, or written to a mailbox of, a visible agency."""
    return (
        Letter.objects.filter(_visible(user))
        .select_related("mailbox", "agency", "handler")
        .order_by("due_on", "pk")
    )


def letter_for_user(user: Any, pk: int) -> Letter:
    """Return letter ``pk`` if ``user`` may see it; PermissionDenied otherwise (404 if none)."""
    letter = Letter.objects.select_related("mailbox", "agency", "reply_agency").get(pk=pk)
    if not (
        rules.can_view(user, letter.agency_id) or rules.can_view(user, letter.mailbox.agency_id)
    ):
        raise PermissionDenied("您无权查看该来信 / you may not see this letter")
    return letter


def band(letter: Letter, today: date, calendar=None) -> str:
    """``overdue``, ``due_soon`` (within the mailbox's reminder days) or ``on_track``; ``""``
    for a closed letter or one without a due date."""
    if not letter.is_open or letter.due_on is None:
        return ""
    if letter.due_on < today:
        return "overdue"
    calendar = calendar or load_calendar()
    try:
        left = calendar.working_days_between(today, letter.due_on)
    except MissingCalendarYear:
        return "on_track"
    return "due_soon" if left <= letter.mailbox.remind_days else "on_track"


BAND_LABELS = {"overdue": "已超期", "due_soon": "即将到期", "on_track": "办理中"}


def workbench_alerts(user: Any, today: date) -> dict[str, int]:
    """Counts for the staff home: open letters the user handles or sorts, by band, plus those
    waiting to be sorted and drafts waiting for approval."""
    handled = rules.handled_agencies(user)
    open_letters = list(
        Letter.objects.filter(state__in=OPEN_STATES)
        .filter(Q(agency__in=handled) | Q(mailbox__agency__in=handled))
        .select_related("mailbox")
    )
    calendar = load_calendar()
    counts = {"open": len(open_letters), "overdue": 0, "due_soon": 0, "unsorted": 0, "drafts": 0}
    for letter in open_letters:
        which = band(letter, today, calendar)
        if which in counts:
            counts[which] += 1
        counts["unsorted"] += letter.state == Letter.State.SUBMITTED
        counts["drafts"] += letter.state == Letter.State.DRAFTED
    return counts


def _figures(letters: QuerySet[Letter], year: int) -> dict[str, Any]:
    answered = answered_by_end_of(year)
    row = letters.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        answered_on_time=Count("pk", filter=answered & Q(on_time=True)),
        answered_online=Count("pk", filter=answered & Q(reply_channel="online")),
        average=Avg("working_days", filter=answered),
        longest=Max("working_days", filter=answered),
    )
    received = row["received"]
    return {
        "received": received,
        "answered": row["answered"],
        "answered_on_time": row["answered_on_time"],
        "answered_online": row["answered_online"],
        "answer_rate": round(row["answered"] / received, 4) if received else None,
        "average_working_days": (
            round(float(row["average"]), 1) if row["average"] is not None else None
        ),
        "longest_working_days": row["longest"],
    }


def mailbox_stats(*, year: int, mailbox_ids=None, agency_ids=None) -> dict[str, Any]:
    """Figures for the letters received in ``year`` by the given mailboxes, or by the
    mailboxes the given agencies run (all mailboxes when neither is given), with the same
    figures by category. Two queries."""
    letters = Letter.objects.filter(received_on__year=year)
    if mailbox_ids is not None:
        letters = letters.filter(mailbox_id__in=list(mailbox_ids))
    if agency_ids is not None:
        letters = letters.filter(mailbox__agency_id__in=list(agency_ids))
    out = _figures(letters, year)
    by_category = {
        row["category"]: row
        for row in letters.values("category").annotate(
            received=Count("pk"), answered=Count("pk", filter=answered_by_end_of(year))
        )
    }
    out["by_category"] = {
        value: {
            "label": label,
            "received": by_category.get(value, {}).get("received", 0),
            "answered": by_category.get(value, {}).get("answered", 0),
        }
        for value, label in Category.choices
    }
    out["year"] = year
    return out


def narrative_figures(*, agency_ids, year: int) -> dict[str, Any]:
    """The mailbox figures the annual report's 总体情况 quotes, for the mailboxes run by
    ``agency_ids`` and the letters they received in ``year``: ``letters_received``,
    ``letters_answered``, ``answer_rate`` (0..1, None without letters), ``answered_online``.
    One query."""
    figures = _figures(
        Letter.objects.filter(received_on__year=year, mailbox__agency_id__in=list(agency_ids)),
        year,
    )
    return {
        "letters_received": figures["received"],
        "letters_answered": figures["answered"],
        "answer_rate": figures["answer_rate"],
        "answered_online": figures["answered_online"],
    }


def published_letters() -> QuerySet[Letter]:
    """Letters published on the portal, newest reply first (only their public fields)."""
    return (
        Letter.objects.filter(published=True)
        .select_related("mailbox", "reply_agency")
        .only(
            "pk",
            "mailbox__name",
            "mailbox__slug",
            "reply_agency__name",
            "category",
            "received_on",
            "answered_on",
            "public_subject",
            "public_body",
            "public_reply",
            "published_at",
        )
        .order_by("-answered_on", "-pk")
    )


#: Events a writer sees on the status page (labels only, never notes or staff names).
PUBLIC_EVENTS = {
    "submit": "来信已提交",
    "assign": "已分办",
    "transfer": None,  # 「转交XX办理」, from the row's own label
    "approve_reply": "已答复",
    "redirect": "已办结，告知其他渠道",
    "publish": "已选登公开",
}


def public_events(letter: Letter) -> list[dict[str, Any]]:
    """The status page's timeline: (time, public label), oldest first."""
    rows = letter.events.filter(action__in=PUBLIC_EVENTS).only("at", "action", "label")
    return [{"at": e.at, "label": PUBLIC_EVENTS[e.action] or e.label} for e in rows]


def active_mailboxes() -> QuerySet[Mailbox]:
    return Mailbox.objects.filter(active=True).select_related("agency")


def answered_on_time_fact(*, agency: Any, year: int) -> dict[str, Any]:
    """The assessment fact 「信箱来信按期答复」 (gongkai.assessment.facts): of the letters
    ``agency`` handles (转办 to it, or its own mailbox's) received in ``year``, the share
    answered within the mailbox's reply period. A letter not answered, or answered when the
    holiday calendar lacked a year (no working-day count), does not count as on time."""
    agency_id = getattr(agency, "pk", agency)
    letters = Letter.objects.filter(received_on__year=year, agency_id=agency_id)
    figures = _figures(letters, year)
    received = figures["received"]
    if not received:
        return {"ratio": None, "value": "—", "explanation": f"{year}年未收到来信"}
    on_time = figures["answered_on_time"]
    text = f"{year}年收到来信{received}件，已答复{figures['answered']}件，按期答复{on_time}件"
    if received > figures["answered"]:
        text += f"；未答复{received - figures['answered']}件"
    return {"ratio": on_time / received, "value": f"{on_time}/{received}", "explanation": text}


def narrative_figures_by_agency(*, agency_ids, year: int) -> dict[int, dict[str, Any]]:
    """:func:`narrative_figures` of each agency alone (the mailboxes it runs), for every agency
    of ``agency_ids`` (None: every agency, with no filter in the query). One grouped query."""
    from gongkai.agencies.models import Agency

    letters = Letter.objects.filter(received_on__year=year)
    if agency_ids is None:
        ids = list(Agency.objects.values_list("pk", flat=True))
    else:
        ids = list(agency_ids)
        letters = letters.filter(mailbox__agency_id__in=ids)
    rows = {
        row["mailbox__agency_id"]: row
        for row in letters.values("mailbox__agency_id")
        .annotate(
            received=Count("pk"),
            answered=Count("pk", filter=answered_by_end_of(year)),
            answered_online=Count(
                "pk", filter=answered_by_end_of(year) & Q(reply_channel="online")
            ),
        )
        .order_by()
    }
    out: dict[int, dict[str, Any]] = {}
    for agency_id in ids:
        row = rows.get(agency_id, {"received": 0, "answered": 0, "answered_online": 0})
        received = row["received"]
        out[agency_id] = {
            "letters_received": received,
            "letters_answered": row["answered"],
            "answer_rate": round(row["answered"] / received, 4) if received else None,
            "answered_online": row["answered_online"],
        }
    return out
