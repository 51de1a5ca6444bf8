"""Where the report's figures come from: a registry of named sources, resolved at run time.

Table 三 comes from the applications (this app computes it). Everything else comes from other
apps through ``settings.GONGKAI_REPORT_SOURCES`` (name → dotted path of a function), looked up
with ``import_string`` when a report is computed, never imported statically — so this app works
without them. The contracts (keyword-only arguments; values are plain ints unless said):

- ``table_two(*, agency_ids, year, fmt) -> dict`` — the ``proactive`` section of
  docs/spec/annual-report-json.md in format ``fmt`` (table 二).
- ``table_four(*, agency_ids, year) -> dict`` — the ``review_litigation`` section (table 四).
- ``normative(*, agency_ids, year)`` → ``normative_made``, ``normative_abolished``,
  ``abolish_batches``, ``normative_in_force``, ``regulations_made``.
- ``publications(*, agency_ids, year)`` → ``items_published``, ``items_by_channel``
  (channel label → count, in the order the text names them), ``website_items``, ``documents_issued``, ``interpretations``.
- ``mailbox(*, agency_ids, year)`` → ``letters_received``, ``letters_answered``,
  ``answered_online`` (the engine writes ``answer_rate`` as a percent from the two counts,
  ``None`` without letters, whatever rate the source gives).
- ``sites(*, agency_ids, year)`` → ``sites``, ``sub_sites``.
- ``new_media(*, agency_ids, year)`` → ``new_media_accounts``, ``new_media_by_kind``
  (label → count, e.g. ``{"微信公众号": 32, "政务微博": 4, "其他平台政务新媒体": 4}``).
- ``visits(*, agency_ids, year)`` → ``website_visits``.
- ``trainings(*, agency_ids, year)`` → ``trainings``.

A name missing from the setting, a module not installed, or a function not there makes the
source *unavailable*. The report never fills zeros for it: the cells of table 二 or 四 stay
``null`` with a ``source.missing`` finding (an error, so the report cannot be checked or
published until the source is connected), and the draft 总体情况 marks the figures it lacks.

For many reports at once (:func:`gongkai.annualreport.engine.compute_all`), a source may have a
companion of the same dotted path with ``_by_agency`` appended, taking ``agency_ids`` (a list,
or ``None`` for every agency) and the same other arguments, and returning
``{agency_id: <what the source returns for that agency alone>}`` for every agency asked, in a
few grouped queries in all. A single agency's report then reads its entry instead of calling
the source; a report of several agencies (a reporting unit) still calls the source, since not
every figure is a sum over agencies (distinct abolish batches, a site cluster).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.module_loading import import_string

__all__ = ["SOURCE_NAMES", "SourceMissing", "Sources", "resolve", "resolve_many"]

#: Every source a report asks for, in the order the report uses them.
SOURCE_NAMES = (
    "table_two",
    "table_four",
    "normative",
    "publications",
    "mailbox",
    "sites",
    "new_media",
    "visits",
    "trainings",
)

#: Finding rule: a table's source is not connected (its cells are null).
SOURCE_MISSING = "source.missing"


class SourceMissing(LookupError):
    """The source named is not available here."""


def resolve(name: str) -> Callable[..., Any] | None:
    """Return the function registered for ``name``, or None when it is not available."""
    path = (getattr(settings, "GONGKAI_REPORT_SOURCES", None) or {}).get(name)
    if not path:
        return None
    try:
        return import_string(path)
    except ImportError:
        return None


def resolve_many(name: str) -> Callable[..., Any] | None:
    """Return the ``_by_agency`` companion of the source ``name``, or None when it has none."""
    path = (getattr(settings, "GONGKAI_REPORT_SOURCES", None) or {}).get(name)
    if not path:
        return None
    try:
        return import_string(f"{path}_by_agency")
    except ImportError:
        return None


@dataclass
class Sources:
    """The sources of one report computation: each called at most once, misses remembered.

    ``given``: what some sources answered already for this report (their ``_by_agency``
    companions' entries, read instead of calling them)."""

    agency_ids: list[int]
    year: int
    missing: list[str] = field(default_factory=list)
    given: dict[str, dict[str, Any]] = field(default_factory=dict)

    def call(self, name: str, **extra: Any) -> dict[str, Any] | None:
        if name in self.given:
            return dict(self.given[name])
        func = resolve(name)
        if func is None:
            if name not in self.missing:
                self.missing.append(name)
            return None
        return dict(func(agency_ids=list(self.agency_ids), year=self.year, **extra))
