"""Reading publications: the public list, the staff list, and the annual report's figures.

The public sees published items only (:func:`published`); staff see the items of the agencies
:func:`gongkai.accounts.rules.visible_agencies` gives them (:func:`publications_for_user`).

For the annual report engine (called by dotted path)::

    gongkai.publications.selectors.narrative_figures(*, agency_ids, year) -> dict

returns, for the agencies ``agency_ids`` (e.g. a ReportingUnit's) and the calendar ``year``:

- ``items_published`` (int): items published (发布日期) in ``year``, each counted once however
  many channels carried it; items withdrawn later still count (they were published that year);
- ``items_by_channel`` (dict channel label -> int, e.g. ``{"政府网站": 3, "微信公众号": 2}``): of
  those, how many appeared on each channel (an item on the website and WeChat counts once under
  each), in the order of ``Channel`` (政府网站 first) — the report's text names them so;
- ``website_items`` (int): of those, how many appeared on the government website or a
  sub-site's column (channels ``website`` and ``subsite``, counted once);
- ``documents_issued`` (int): 发文 in the name of those agencies — items of kind ``document``
  (公文) with a 发文字号, whose issuing agency (not a co-issuer) is one of them, published in
  ``year``; the seed's 「主动公开县政府（办公室）名义印发的文件」;
- ``interpretations`` (int): 政策解读 (kind ``interpretation``) published in ``year``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from gongkai.accounts import rules
from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.publications.models import (
    WEBSITE_CHANNELS,
    Channel,
    Kind,
    Placement,
    Publication,
    State,
)

__all__ = [
    "agency_ids_for_filter",
    "narrative_figures",
    "policies_lacking_interpretation",
    "public_list",
    "publication_url",
    "publications_for_user",
    "published",
]

#: States of an item that was published (withdrawn items were published before).
WAS_PUBLISHED = (State.PUBLISHED, State.WITHDRAWN)


def published() -> QuerySet[Publication]:
    """Return the items the public may see: published, not withdrawn."""
    return Publication.objects.filter(state=State.PUBLISHED)


def publications_for_user(user) -> QuerySet[Publication]:
    """Return every item (drafts too) of the agencies ``user`` may see, newest first."""
    return Publication.objects.filter(agency__in=rules.visible_agencies(user))


def agency_ids_for_filter(*, agency: str = "", reporting_unit: str = "") -> list[int] | None:
    """Return the agency ids named by an agency slug and/or a reporting unit (slug or name),
    or None when neither is given; raise ValidationError for an unknown one."""
    ids: set[int] | None = None
    if agency:
        row = Agency.objects.filter(slug=agency).values_list("pk", flat=True).first()
        if row is None:
            raise ValidationError({"agency": f"没有标识为「{agency[:64]}」的机关 / unknown agency"})
        ids = {row}
    if reporting_unit:
        unit = (
            ReportingUnit.objects.filter(Q(slug=reporting_unit) | Q(name=reporting_unit))
            .prefetch_related("agencies")
            .first()
        )
        if unit is None:
            raise ValidationError(
                {"reporting_unit": f"没有「{reporting_unit[:64]}」这个年报主体 / unknown unit"}
            )
        unit_ids = {a.pk for a in unit.agencies.all()}
        ids = unit_ids if ids is None else ids & unit_ids
    return None if ids is None else sorted(ids)


def public_list(
    *,
    agency: str = "",
    reporting_unit: str = "",
    year: int | None = None,
    category: str = "",
    channel: str = "",
    validity: str = "",
    kind: str = "",
) -> QuerySet[Publication]:
    """Return published items filtered as the public API and portal lists filter them."""
    rows = published()
    for name, value in (
        ("agency", agency),
        ("reporting_unit", reporting_unit),
        ("category", category),
        ("channel", channel),
        ("validity", validity),
        ("kind", kind),
    ):
        if "\x00" in value:
            raise ValidationError({name: "含有无效字符 / contains a NUL character"})
    ids = agency_ids_for_filter(agency=agency, reporting_unit=reporting_unit)
    if ids is not None:
        rows = rows.filter(agency_id__in=ids)
    if year is not None:
        if not 1949 <= year <= 9999:
            raise ValidationError({"year": "年份无效 / not a valid year"})
        rows = rows.filter(published_on__year=year)
    if category:
        rows = rows.filter(category__code=category)
    if channel:
        if channel not in Channel.values:
            raise ValidationError({"channel": f"渠道「{channel[:40]}」无效 / unknown channel"})
        rows = rows.filter(
            Exists(Placement.objects.filter(publication=OuterRef("pk"), channel=channel))
        )
    for name, value in (("validity", validity), ("kind", kind)):
        if value:
            choices = Publication._meta.get_field(name).choices
            if value not in {code for code, _ in choices}:
                raise ValidationError({name: f"「{value[:40]}」无效 / unknown {name}"})
            rows = rows.filter(**{name: value})
    return rows.order_by("-published_on", "-pk")


def publication_url(publication: Publication) -> str | None:
    """Return the path of the item's public page, or None when no portal page is installed
    (the site cluster names its URL ``sites:publication`` with the item's id)."""
    try:
        return reverse("sites:publication", args=[publication.pk])
    except NoReverseMatch:
        return None


def policies_lacking_interpretation(user) -> QuerySet[Publication]:
    """Return the published policy documents (``is_policy``) ``user`` may see that no published
    政策解读 explains yet."""
    # The policies a published interpretation explains, read once (a subquery that does not
    # depend on the row): the correlated NOT EXISTS it replaces read, on SQLite, every published
    # item again for each published item (the demo's 51,000: 18 s for a supervisor's count).
    explained = Publication.explains.through.objects.filter(
        from_publication__kind=Kind.INTERPRETATION, from_publication__state=State.PUBLISHED
    ).values("to_publication_id")
    return (
        publications_for_user(user)
        .filter(state=State.PUBLISHED, is_policy=True)
        .exclude(kind=Kind.INTERPRETATION)
        .exclude(pk__in=explained)
        .select_related("agency")
        .order_by("-published_on", "-pk")
    )


def narrative_figures(*, agency_ids, year: int) -> dict[str, Any]:
    """Return the 主动公开 figures of ``agency_ids`` for ``year`` (see the module docstring)."""
    items = Publication.objects.filter(
        agency_id__in=list(agency_ids), state__in=WAS_PUBLISHED, published_on__year=year
    )
    counted = (
        Placement.objects.filter(publication__in=items.values("pk"))
        .values_list("channel")
        .annotate(n=Count("publication", distinct=True))
        .order_by()
    )
    order = list(Channel.values)
    by_channel = {
        Channel(code).label: n for code, n in sorted(counted, key=lambda row: order.index(row[0]))
    }
    return {
        "items_published": items.count(),
        "items_by_channel": by_channel,
        "website_items": items.filter(
            Exists(
                Placement.objects.filter(publication=OuterRef("pk"), channel__in=WEBSITE_CHANNELS)
            )
        ).count(),
        "documents_issued": items.filter(kind=Kind.DOCUMENT).exclude(doc_number="").count(),
        "interpretations": items.filter(kind=Kind.INTERPRETATION).count(),
    }


def narrative_figures_by_agency(*, agency_ids, year: int) -> dict[int, dict[str, Any]]:
    """:func:`narrative_figures` of each agency alone, for every agency of ``agency_ids`` (None:
    every agency, with no filter in the queries). Two grouped queries in all: the items by
    agency, and their placements by agency and channel (plus the website count by agency)."""
    items = Publication.objects.filter(state__in=WAS_PUBLISHED, published_on__year=year)
    if agency_ids is None:
        ids = list(Agency.objects.values_list("pk", flat=True))
    else:
        ids = list(agency_ids)
        items = items.filter(agency_id__in=ids)
    counts = {
        row.pop("agency_id"): row
        for row in items.values("agency_id")
        .annotate(
            items_published=Count("pk"),
            documents_issued=Count("pk", filter=Q(kind=Kind.DOCUMENT) & ~Q(doc_number="")),
            interpretations=Count("pk", filter=Q(kind=Kind.INTERPRETATION)),
        )
        .order_by()
    }
    placements = Placement.objects.filter(
        publication__state__in=WAS_PUBLISHED, publication__published_on__year=year
    )
    if agency_ids is not None:
        placements = placements.filter(publication__agency_id__in=ids)
    channels: dict[int, dict[str, int]] = {}
    for agency_id, code, n in (
        placements.values_list("publication__agency_id", "channel")
        .annotate(n=Count("publication", distinct=True))
        .order_by()
    ):
        channels.setdefault(agency_id, {})[code] = n
    website = dict(
        placements.filter(channel__in=WEBSITE_CHANNELS)
        .values_list("publication__agency_id")
        .annotate(n=Count("publication", distinct=True))
        .order_by()
    )
    labels = [(code, Channel(code).label) for code in Channel.values]
    out: dict[int, dict[str, Any]] = {}
    for agency_id in ids:
        row = counts.get(agency_id) or {
            "items_published": 0,
            "documents_issued": 0,
            "interpretations": 0,
        }
        by_code = channels.get(agency_id, {})
        out[agency_id] = {
            "items_published": row["items_published"],
            "items_by_channel": {label: by_code[code] for code, label in labels if code in by_code},
            "website_items": website.get(agency_id, 0),
            "documents_issued": row["documents_issued"],
            "interpretations": row["interpretations"],
        }
    return out
