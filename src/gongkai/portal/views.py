from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.accounts import rules
from gongkai.agencies.models import Agency
from gongkai.applications.selectors import awaiting_my_approval
from gongkai.holidays.services import load_calendar
from gongkai.portal.calendar_notice import missing_next_year
from gongkai.portal.context import county_name, site_name

#: How the public home page groups the agency directory: (heading, kinds).
DIRECTORY_GROUPS = [
    (_("县政府及办公室"), [Agency.Kind.COUNTY_GOVERNMENT, Agency.Kind.GOVERNMENT_OFFICE]),
    (_("县政府部门"), [Agency.Kind.DEPARTMENT]),
    (_("街道"), [Agency.Kind.STREET]),
    (_("乡镇"), [Agency.Kind.TOWNSHIP]),
    (_("其他机关"), [Agency.Kind.OTHER]),
]

#: The standard columns of a 政府信息公开 platform (国办公开办函〔2019〕61号), plus 依申请公开:
#: (title, URL name, URL args). Each agency's own parts are under gongkai.sites.portal_pages.
COLUMNS = [
    (_("政府信息公开指南"), "sites:ogi_part_index", ["guide"]),
    (_("政府信息公开制度"), "sites:ogi_part_index", ["rules"]),
    (_("法定主动公开内容"), "sites:ogi_part_index", ["statutory"]),
    (_("依申请公开"), "applications:apply", []),
    (_("政府信息公开年报"), "annualreport:public_list", []),
]


def home(request: HttpRequest) -> HttpResponse:
    """The public home page: works without an account (《政府信息公开条例》第二十三条: the
    government website is the first channel of publication)."""
    agencies = list(Agency.objects.only("name", "short_name", "slug", "kind", "sort_order"))
    directory = []
    for heading, kinds in DIRECTORY_GROUPS:
        members = [agency for agency in agencies if agency.kind in kinds]
        if members:
            directory.append({"heading": heading, "agencies": members})
    county = county_name()
    return render(
        request,
        "portal/home.html",
        {
            "county": county,
            # The page needs the county anyway: name the site from it (one query, not two).
            "portal_name": site_name(county),
            "directory": directory,
            "agency_count": len(agencies),
            "columns": [(title, reverse(name, args=args), name) for title, name, args in COLUMNS],
        },
    )


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    """The staff home (工作台): the user's agencies and roles."""
    user = request.user
    by_agency = [
        {"agency": agency, "roles": [m.get_role_display() for m in group]}
        for agency, group in groupby(rules.memberships_of(user), key=lambda m: m.agency)
    ]
    supervises = rules.supervises_any(user)
    return render(
        request,
        "portal/staff_home.html",
        {
            "by_agency": by_agency,
            "is_system_admin": rules.is_system_admin(user),
            "visible_count": rules.visible_agencies(user).count() if supervises else None,
            "missing_year": missing_next_year(user, timezone.localdate(), load_calendar()),
            "to_approve": awaiting_my_approval(user).count(),
            "may_oversee": supervises or rules.is_system_admin(user),
        },
    )
