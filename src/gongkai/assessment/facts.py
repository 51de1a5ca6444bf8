"""The registry of measured facts a scorecard item may score, by dotted path.

A fact is a function ``fact(*, agency, year) -> {"ratio": float | None, "value": str,
"explanation": str}``: ``ratio`` in [0, 1] is the share achieved (None: nothing to measure that
year), ``value`` what the cell shows (「2/2」), ``explanation`` the sentence behind it. Only the
paths in :data:`FACTS` may be chosen, so an item never names an arbitrary function. A new app
adds its facts here by one line each (report published on time, sites healthy, mailbox
answered, …); nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.module_loading import import_string

#: dotted path -> what the supervisor picks from (Chinese), in the order offered.
FACTS: dict[str, str] = {
    "gongkai.assessment.facts.on_time_replies": "依申请公开按时答复率",
    "gongkai.training.selectors.attendance_fact": "参加政务公开培训",
    "gongkai.catalogue.selectors.compliance_fact": "标准目录事项按时公开",
    "gongkai.monitoring.selectors.sites_healthy_fact": "网站和政务新媒体健康（无单项否决）",
    "gongkai.mailbox.selectors.answered_on_time_fact": "信箱来信按期答复",
    "gongkai.annualreport.selectors.report_fact": "年报按时发布且无错误",
}

#: The items a new scheme starts with: (fact, weight). The points are the office's choice:
#: no national point values were found (docs/law/ogi-spec.md §9), so they are only a start.
DEFAULT_ITEMS: tuple[tuple[str, int], ...] = (
    ("gongkai.assessment.facts.on_time_replies", 40),
    ("gongkai.training.selectors.attendance_fact", 30),
    ("gongkai.catalogue.selectors.compliance_fact", 30),
)


class UnknownFact(LookupError):
    """A dotted path that is not in :data:`FACTS`."""


@dataclass(frozen=True)
class Measure:
    ratio: float | None
    value: str
    explanation: str


def measure(path: str, *, agency: Any, year: int) -> Measure:
    """Return the fact at ``path`` for ``agency`` in ``year``."""
    if path not in FACTS:
        raise UnknownFact(f"未登记的计分依据 / unknown fact: {path}")
    found = import_string(path)(agency=agency, year=year)
    ratio = found.get("ratio")
    if ratio is not None and not 0 <= ratio <= 1:
        raise ValueError(f"{path} gave a ratio outside [0, 1]: {ratio}")
    return Measure(ratio, str(found.get("value", "")), str(found.get("explanation", "")))


def on_time_replies(*, agency: Any, year: int) -> dict:
    """The fact 「依申请公开按时答复率」: of the replies ``agency`` gave in ``year``, the share
    given by the due date (《政府信息公开条例》第三十三条; the date as extended or paused)."""
    from gongkai.applications.models import Reply

    replies = list(
        Reply.objects.filter(application__agency=agency, replied_on__year=year).select_related(
            "application"
        )
    )
    if not replies:
        return {"ratio": None, "value": "—", "explanation": f"{year}年无答复的申请"}
    late = [
        r
        for r in replies
        if (due := r.application.due_on or r.application.provisional_due_on) is not None
        and r.replied_on > due
    ]
    on_time = len(replies) - len(late)
    text = f"{year}年答复申请{len(replies)}件，按期答复{on_time}件"
    if late:
        text += "；逾期：" + "、".join(
            r.application.reference or r.application.tracking_code for r in late
        )
    return {
        "ratio": on_time / len(replies),
        "value": f"{on_time}/{len(replies)}",
        "explanation": text,
    }
