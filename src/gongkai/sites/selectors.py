"""Reads of the site cluster: yearly visit totals and the annual report's figures.

Which sites and accounts count for a reporting unit (``agency_ids``): a unit that owns a main
site (the county government runs the portal and the 集约化 cluster) reports its **cluster** —
the main site, every sub-site under it (whoever owns it), the 政务新媒体 accounts of every agency
that owns a site in the cluster, and the visits of every site in the cluster. A unit that owns
no main site reports only the sub-sites and accounts it owns itself (``sites`` is then 0). A
site or account counts in a year when it was open at some point of that year.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet, Sum

from gongkai.sites.models import DailyVisits, NewMediaAccount, Site, VisitHistory

#: The report's label for each platform (the seed writes 微信公众号, 政务微博, 其他平台政务新媒体).
PLATFORM_LABELS = {
    NewMediaAccount.Platform.WECHAT: "微信公众号",
    NewMediaAccount.Platform.WEIBO: "政务微博",
    NewMediaAccount.Platform.DOUYIN: "政务抖音号",
    NewMediaAccount.Platform.OTHER: "其他平台政务新媒体",
}


def _open_in(year: int) -> Q:
    return (Q(opened_on__isnull=True) | Q(opened_on__lte=date(year, 12, 31))) & (
        Q(closed_on__isnull=True) | Q(closed_on__gte=date(year, 1, 1))
    )


def cluster_sites(agency_ids, *, year: int) -> tuple[QuerySet[Site], QuerySet[Site]]:
    """Return (main sites, sub-sites) that count for ``agency_ids`` in ``year`` (module doc)."""
    ids = list(agency_ids)
    mains = Site.objects.filter(_open_in(year), kind=Site.Kind.MAIN, agency_id__in=ids)
    subs = Site.objects.filter(_open_in(year), kind=Site.Kind.SUB).filter(
        Q(parent__in=mains) | Q(agency_id__in=ids)
    )
    return mains, subs


def cluster_agency_ids(agency_ids, *, year: int) -> set[int]:
    """The agencies whose 政务新媒体 count for ``agency_ids``: themselves and, when they run a
    main site, every agency owning a sub-site of it."""
    mains, subs = cluster_sites(agency_ids, year=year)
    owners = set(subs.filter(parent__in=mains).values_list("agency_id", flat=True))
    return set(agency_ids) | owners


def yearly_visits(site: Site | int, year: int) -> int:
    """A site's visits in ``year``: the entered figure when there is one, else the counted days."""
    site_id = getattr(site, "pk", site)
    entered = VisitHistory.objects.filter(site_id=site_id, year=year).first()
    if entered is not None:
        return int(entered.visits)
    total = DailyVisits.objects.filter(site_id=site_id, day__year=year).aggregate(n=Sum("count"))
    return int(total["n"] or 0)


def yearly_totals(year: int) -> list[tuple[Site, int]]:
    """Every site with its visits in ``year`` (entered or counted), in display order."""
    return [(site, yearly_visits(site, year)) for site in Site.objects.select_related("agency")]


def site_figures(*, agency_ids, year: int) -> dict:
    """The report source ``sites``: ``{"sites": int, "sub_sites": int}``."""
    mains, subs = cluster_sites(agency_ids, year=year)
    return {"sites": mains.count(), "sub_sites": subs.count()}


def new_media_figures(*, agency_ids, year: int) -> dict:
    """The report source ``new_media``: ``{"new_media_accounts": int, "new_media_by_kind":
    {label: count}}`` (labels of :data:`PLATFORM_LABELS`, in that order, non-zero only)."""
    owners = cluster_agency_ids(agency_ids, year=year)
    accounts = NewMediaAccount.objects.filter(_open_in(year), agency_id__in=owners)
    counts = dict.fromkeys(PLATFORM_LABELS.values(), 0)
    for platform in accounts.values_list("platform", flat=True):
        counts[PLATFORM_LABELS[platform]] += 1
    return {
        "new_media_accounts": sum(counts.values()),
        "new_media_by_kind": {label: n for label, n in counts.items() if n},
    }


def visit_figures(*, agency_ids, year: int) -> dict:
    """The report source ``visits``: ``{"website_visits": int}`` over the unit's cluster."""
    mains, subs = cluster_sites(agency_ids, year=year)
    sites = list(mains.values_list("pk", flat=True)) + list(subs.values_list("pk", flat=True))
    return {"website_visits": sum(yearly_visits(pk, year) for pk in sites)}


# --- many agencies at once (the annual report's batch path) ------------------------------
# The site cluster is small (a county: tens of sites and accounts), so it is read once and each
# agency's cluster worked out in memory, by the rules of the module docstring.

Cluster = tuple[list[int], list[tuple[int, int | None, int]]]


def _clusters(agency_ids, year: int) -> tuple[list[int], dict[int, Cluster]]:
    """The agencies, and for each its main site ids and its sub-sites (id, parent, owner) that
    count in ``year`` (:func:`cluster_sites`)."""
    from gongkai.agencies.models import Agency

    ids = (
        list(Agency.objects.values_list("pk", flat=True))
        if agency_ids is None
        else list(agency_ids)
    )
    mains_of: dict[int, list[int]] = {}
    subs: list[tuple[int, int | None, int]] = []
    for pk, kind, parent, owner in Site.objects.filter(_open_in(year)).values_list(
        "pk", "kind", "parent_id", "agency_id"
    ):
        if kind == Site.Kind.MAIN:
            mains_of.setdefault(owner, []).append(pk)
        elif kind == Site.Kind.SUB:
            subs.append((pk, parent, owner))
    subs_of: dict[int, list[tuple[int, int | None, int]]] = {}
    for sub in subs:
        subs_of.setdefault(sub[2], []).append(sub)
    out: dict[int, Cluster] = {}
    for agency_id in ids:
        mains = mains_of.get(agency_id, [])
        if mains:
            main_set = set(mains)
            mine = [s for s in subs if s[1] in main_set or s[2] == agency_id]
        else:
            mine = subs_of.get(agency_id, [])
        out[agency_id] = (mains, mine)
    return ids, out


def site_figures_by_agency(*, agency_ids, year: int) -> dict[int, dict]:
    """:func:`site_figures` of each agency alone, for every agency of ``agency_ids`` (None:
    every agency). One query."""
    ids, clusters = _clusters(agency_ids, year)
    return {i: {"sites": len(clusters[i][0]), "sub_sites": len(clusters[i][1])} for i in ids}


def new_media_figures_by_agency(*, agency_ids, year: int) -> dict[int, dict]:
    """:func:`new_media_figures` of each agency alone, for every agency of ``agency_ids``
    (None: every agency). Two queries."""
    ids, clusters = _clusters(agency_ids, year)
    platforms: dict[int, list[str]] = {}
    for owner, platform in NewMediaAccount.objects.filter(_open_in(year)).values_list(
        "agency_id", "platform"
    ):
        platforms.setdefault(owner, []).append(platform)
    out = {}
    for agency_id in ids:
        mains, subs = clusters[agency_id]
        main_set = set(mains)
        owners = {agency_id} | {owner for _pk, parent, owner in subs if parent in main_set}
        counts = dict.fromkeys(PLATFORM_LABELS.values(), 0)
        for owner in owners:
            for platform in platforms.get(owner, ()):
                counts[PLATFORM_LABELS[platform]] += 1
        out[agency_id] = {
            "new_media_accounts": sum(counts.values()),
            "new_media_by_kind": {label: n for label, n in counts.items() if n},
        }
    return out


def visit_figures_by_agency(*, agency_ids, year: int) -> dict[int, dict]:
    """:func:`visit_figures` of each agency alone, for every agency of ``agency_ids`` (None:
    every agency). Three queries (:func:`yearly_visits` of every site at once)."""
    ids, clusters = _clusters(agency_ids, year)
    entered = dict(VisitHistory.objects.filter(year=year).values_list("site_id", "visits"))
    counted = dict(
        DailyVisits.objects.filter(day__year=year)
        .values_list("site_id")
        .annotate(n=Sum("count"))
        .order_by()
    )

    def visits(site_id: int) -> int:
        if site_id in entered:
            return int(entered[site_id])
        return int(counted.get(site_id) or 0)

    return {
        i: {
            "website_visits": sum(visits(pk) for pk in clusters[i][0])
            + sum(visits(pk) for pk, _parent, _owner in clusters[i][1])
        }
        for i in ids
    }
