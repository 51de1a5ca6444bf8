"""The parts of an agency's 政府信息公开 column, generated from its records.

- :func:`guide_for`: the 政府信息公开指南 (《政府信息公开条例》第十二条): the catalogue's categories
  that apply to the agency with how many items each holds, how information is obtained (主动公开
  channels, 依申请公开), the 工作机构's contact data and the application channels of 第二十八条.
- :func:`statutory_table`: 法定主动公开内容, the catalogue by category and year.
- :func:`annual_reports_of`: the agency's published annual reports (第四十九条、第五十条).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractYear

from gongkai.agencies.models import Agency, ReportingUnit
from gongkai.annualreport.selectors import published_reports
from gongkai.guide.models import DisclosureOffice
from gongkai.publications.models import CatalogueCategory
from gongkai.publications.selectors import published

#: Which catalogue scopes apply to which kind of agency (docs/law/ogi-spec.md §1.2: 第二十条 for
#: every agency, 第二十一条 for county governments and their departments or for townships).
SCOPES = {
    Agency.Kind.COUNTY_GOVERNMENT: {"all", "county", "local"},
    Agency.Kind.GOVERNMENT_OFFICE: {"all", "county", "local"},
    Agency.Kind.DEPARTMENT: {"all", "county", "local"},
    Agency.Kind.TOWNSHIP: {"all", "township", "local"},
    Agency.Kind.STREET: {"all", "township", "local"},
    Agency.Kind.OTHER: {"all", "local"},
}


@dataclass
class CategoryRow:
    category: CatalogueCategory
    total: int = 0
    by_year: dict[int, int] = field(default_factory=dict)


def categories_for(agency: Agency) -> list[CatalogueCategory]:
    """The active catalogue categories that apply to ``agency``'s kind, in catalogue order."""
    scopes = SCOPES.get(agency.kind, {"all", "local"})
    return list(CatalogueCategory.objects.filter(active=True, scope__in=scopes))


def statutory_table(agency: Agency) -> tuple[list[int], list[CategoryRow]]:
    """法定主动公开内容: (years newest first, one row per category with its count per year).

    Categories that apply to the agency are listed even when empty (a gap the public can see);
    a category outside the agency's scope shows only when it holds items. One grouped query.
    """
    counts = (
        published()
        .filter(agency=agency, category__isnull=False)
        .annotate(year=ExtractYear("published_on"))
        .values("category_id", "year")
        .annotate(n=Count("pk"))
    )
    rows = {c.pk: CategoryRow(c) for c in categories_for(agency)}
    extra: set[int] = set()
    years: set[int] = set()
    for row in counts:
        if row["category_id"] not in rows:
            extra.add(row["category_id"])
    for c in CatalogueCategory.objects.filter(pk__in=extra):
        rows[c.pk] = CategoryRow(c)
    for row in counts:
        target = rows[row["category_id"]]
        target.by_year[row["year"]] = row["n"]
        target.total += row["n"]
        years.add(row["year"])
    ordered = sorted(rows.values(), key=lambda r: (r.category.sort_order, r.category.code))
    return sorted(years, reverse=True), ordered


def office_of(agency: Agency) -> DisclosureOffice | None:
    """The agency's 政府信息公开工作机构 record, or None when none has been entered."""
    return DisclosureOffice.objects.filter(agency=agency).first()


def guide_for(agency: Agency) -> dict:
    """Everything the 政府信息公开指南 page shows for ``agency`` (module doc)."""
    _years, rows = statutory_table(agency)
    return {
        "office": office_of(agency),
        "categories": rows,
        "total": sum(r.total for r in rows),
    }


def annual_reports_of(agency: Agency):
    """The agency's published annual reports, its own and its reporting units', newest first."""
    units = ReportingUnit.objects.filter(agencies=agency).values("pk")
    return published_reports().filter(Q(agency=agency) | Q(unit__in=units))
